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

extension AddEvent {
    /// Appends `[item, …]`.
    static func writeList(_ items: [AddEvent], into out: inout String) {
        out += "["
        for (i, item) in items.enumerated() {
            if i > 0 { out += "," }
            item.writeJSON(into: &out)
        }
        out += "]"
    }

    /// Appends the item with the fields in the order ``encode(to:)`` writes them.
    func writeJSON(into out: inout String) {
        var fields = JSONFieldWriter(taking: &out)
        fields.string("id", id)
        if let memory {
            fields.string("memory", memory)
            fields.key("data")
            fields.out += "{\"memory\":"
            JSONValue.writeString(memory, into: &fields.out)
            fields.out += "}"
        }
        fields.string("event", event?.rawValue)
        fields.string("previous_memory", previousMemory)
        fields.string("status", status)
        fields.string("event_id", eventID)
        fields.string("message", message)
        fields.string("user_id", scope?.userID)
        fields.string("agent_id", scope?.agentID)
        fields.string("app_id", scope?.appID)
        fields.string("run_id", scope?.runID)
        fields.finish(into: &out)
    }
}

extension AddResponse {
    /// Reads an add answer from its JSON text. The shapes a server sends are read straight from
    /// the parsed tree; anything else goes through ``init(from:)``, so the value and any error
    /// are exactly what `Decodable` gives. A client reads one answer per add.
    public static func decode(json data: Data) throws -> AddResponse {
        if let tree = try? JSONValue.parse(data), let answer = AddResponse(tree: tree) { return answer }
        return try JSONValueDecoder().decode(AddResponse.self, from: data)
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

extension AddEvent {
    /// The items of a list, or nil when one is not a plain item.
    static func list(_ items: [JSONValue]) -> [AddEvent]? {
        var events: [AddEvent] = []
        events.reserveCapacity(items.count)
        for item in items {
            guard let event = AddEvent(tree: item) else { return nil }
            events.append(event)
        }
        return events
    }

    /// The item in `tree` as ``init(from:)`` reads it, or nil when a field has a type it would refuse.
    init?(tree: JSONValue) {
        guard case .object(let o) = tree,
            let id = JSONValue.optionalString(o["id"]),
            let memory = JSONValue.optionalString(o["memory"]),
            let event = JSONValue.optionalString(o["event"]),
            let previous = JSONValue.optionalString(o["previous_memory"]),
            let status = JSONValue.optionalString(o["status"]),
            let eventID = JSONValue.optionalString(o["event_id"]),
            let message = JSONValue.optionalString(o["message"]),
            let userID = JSONValue.optionalString(o["user_id"]),
            let agentID = JSONValue.optionalString(o["agent_id"]),
            let appID = JSONValue.optionalString(o["app_id"]),
            let runID = JSONValue.optionalString(o["run_id"])
        else { return nil }
        // `data.memory` stands in for a missing `memory`; a `data` of another shape is ignored.
        var text = memory
        if text == nil, case .object(let data)? = o["data"], case .string(let s)? = data["memory"] { text = s }
        let scope = Scope(userID: userID, agentID: agentID, appID: appID, runID: runID)
        self.init(
            id: id, memory: text, event: event.map(MemoryEventKind.init(rawValue:)), previousMemory: previous,
            status: status, eventID: eventID, message: message, scope: scope.isEmpty ? nil : scope)
    }
}
