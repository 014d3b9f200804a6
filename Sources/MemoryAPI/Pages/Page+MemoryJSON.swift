extension Page where Element == Memory {
    /// The page's JSON text, as `jsonValue(spelling:).jsonString()`, each memory written straight.
    public func jsonString(spelling: RunIDSpelling = .runID) -> String {
        var items = "["
        for (i, m) in results.enumerated() {
            if i > 0 { items += "," }
            m.write(into: &items, spelling: spelling)
        }
        items += "]"
        switch shape {
        case .list:
            return items
        case .results:
            return "{\"results\":" + items + "}"
        case .paginated:
            var out = "{\"count\":" + String(count) + ",\"next\":"
            if let next { JSONValue.writeString(next, into: &out) } else { out += "null" }
            out += ",\"previous\":"
            if let previous { JSONValue.writeString(previous, into: &out) } else { out += "null" }
            return out + ",\"results\":" + items + "}"
        }
    }

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
