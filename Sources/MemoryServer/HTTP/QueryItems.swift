import Foundation

/// The parameters of a URL query string, in order, with repeated keys kept
/// (`categories=a&categories=b`) and `+` read as a space, as httpx writes them.
struct QueryItems: Sendable {
    /// The pairs, decoded.
    var items: [(name: String, value: String)]

    /// Parses a raw (percent-encoded) query string.
    init(_ raw: String) {
        items = raw.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(kv[0]), kv.count > 1 ? decode(kv[1]) : "")
        }
    }

    /// The last value of a key.
    subscript(name: String) -> String? { items.last { $0.name == name }?.value }

    /// Every value of a key, with comma-separated values split (`categories=a,b`).
    func all(_ name: String) -> [String] {
        items.filter { $0.name == name }.flatMap { $0.value.split(separator: ",").map(String.init) }
    }

    /// A query string with `page` and `page_size` set and every other pair kept.
    func with(page: Int, pageSize: Int) -> String {
        var pairs = items.filter { $0.name != "page" && $0.name != "page_size" }
        pairs.append(("page", String(page)))
        pairs.append(("page_size", String(pageSize)))
        return pairs.map { Self.escape($0.name) + "=" + Self.escape($0.value) }.joined(separator: "&")
    }

    static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? s
    }
}
