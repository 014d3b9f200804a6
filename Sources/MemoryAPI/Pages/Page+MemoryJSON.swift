extension Page where Element == Memory {
    /// The page's JSON text, as its `Codable` encoding with sorted keys writes it, each memory
    /// written straight (see `Memory.jsonString(spelling:)`): servers answer listings with it.
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
}
