/// An id that a source writes as a string or a number.
struct FlexibleID: Decodable, Hashable {
    var text: String

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) {
            text = s
        } else if let i = try? c.decode(Int64.self) {
            text = String(i)
        } else {
            text = String(try c.decode(Double.self))
        }
    }
}
