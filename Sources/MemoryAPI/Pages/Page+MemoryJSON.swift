extension Page where Element == Memory {
    /// The page as its `Codable` encoding writes it, in its shape, built directly (see
    /// `Memory.jsonValue(spelling:)`): servers answer listings of hundreds of memories with it.
    public func jsonValue(spelling: RunIDSpelling = .runID) -> JSONValue {
        let items = JSONValue.array(results.map { $0.jsonValue(spelling: spelling) })
        switch shape {
        case .list:
            return items
        case .results:
            return .object(["results": items])
        case .paginated:
            return .object([
                "count": .int(Int64(count)), "next": next.map(JSONValue.string) ?? .null,
                "previous": previous.map(JSONValue.string) ?? .null, "results": items,
            ])
        }
    }
}
