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
