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
