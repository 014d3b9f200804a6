import Foundation

extension AddResponse {
    /// The answer as compact JSON in its shape, with the fields in the order ``encode(to:)``
    /// writes them (the same text as `JSONEncoder` with `.withoutEscapingSlashes`), written
    /// directly: the server answers every add with one.
    public func jsonString() -> String {
        var out = ""
        out.reserveCapacity(64 + results.count * 160)
        if shape == .list {
            AddEvent.writeList(results, into: &out)
            return out
        }
        var fields = JSONFieldWriter(taking: &out)
        if shape == .envelope {
            fields.key("results")
            AddEvent.writeList(results, into: &fields.out)
        }
        fields.value("relations", relations)
        fields.string("event_id", eventID)
        fields.string("status", status)
        fields.string("message", message)
        fields.finish(into: &out)
        return out
    }
}

extension AddResponse {
    /// Reads an add answer from its JSON text. The shapes a server sends are read straight from
    /// the parsed tree; anything else goes through ``init(from:)``, so the value and any error
    /// are exactly what `Decodable` gives. A client reads one answer per add.
    public static func decode(json data: Data) throws -> AddResponse {
        // Text that does not parse goes to the decoder whole, which reports where it breaks.
        guard let tree = try? JSONValue.parse(data) else { return try JSONValueDecoder().decode(Self.self, from: data) }
        return try AddResponse(tree: tree) ?? JSONValueDecoder().decode(Self.self, from: tree)
    }

    /// The answer in `tree`, or nil when it is not one of the plain shapes (the caller then
    /// decodes it the long way, which also says what is wrong).
    init?(tree: JSONValue) {
        switch tree {
        case .array(let items):
            guard let events = AddEvent.list(items) else { return nil }
            self.init(shape: .list, results: events)
        case .object(let o):
            var results: [AddEvent]?
            switch o["results"] {
            case .none, .some(.null): results = nil
            case .some(.array(let items)):
                guard let events = AddEvent.list(items) else { return nil }
                results = events
            default: return nil
            }
            guard let eventID = JSONValue.optionalString(o["event_id"]),
                let status = JSONValue.optionalString(o["status"]),
                let message = JSONValue.optionalString(o["message"]),
                results != nil || eventID != nil
            else { return nil }
            var relations = o["relations"]
            if case .null? = relations { relations = nil }
            self.init(
                shape: results == nil ? .event : .envelope, results: results ?? [], relations: relations,
                eventID: eventID, status: status, message: message)
        default:
            return nil
        }
    }
}
