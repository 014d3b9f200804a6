extension AddRequest {
    /// The body as compact JSON with sorted keys: the same text, byte for byte, as `JSONEncoder`
    /// with `.sortedKeys` and `.withoutEscapingSlashes` writes from ``encode(to:)``, written
    /// directly. An import sends one per unit, and `Codable`'s calls per field cost more than the
    /// writing.
    public func jsonString() -> String {
        var out = ""
        out.reserveCapacity(128 + messages.reduce(0) { $0 + 40 + ($1.content.text?.utf8.count ?? 64) })
        var fields = JSONFieldWriter(taking: &out)
        // Keys in the order of their UTF-8 bytes, as `.sortedKeys` writes them.
        fields.string("agent_id", scope.agentID)
        fields.string("app_id", scope.appID)
        fields.bool("async_mode", asyncMode)
        fields.value("custom_categories", customCategories)
        fields.string("custom_instructions", customInstructions)
        fields.string("excludes", excludes)
        fields.string("expiration_date", expirationDate)
        fields.value("filters", filters)
        fields.bool("immutable", immutable)
        fields.string("includes", includes)
        fields.bool("infer", infer)
        fields.value("memport_categories", memportCategories.map { .array($0.map(JSONValue.string)) })
        fields.bool("memport_verbatim", memportVerbatim)
        fields.key("messages")
        fields.out += "["
        for (i, message) in messages.enumerated() {
            if i > 0 { fields.out += "," }
            message.writeJSON(into: &fields.out)
        }
        fields.out += "]"
        fields.value("metadata", metadata.map(JSONValue.object))
        fields.string("org_id", orgID)
        fields.string("output_format", outputFormat)
        fields.string("project_id", projectID)
        fields.string("run_id", scope.runID)
        if let timestamp {
            fields.key("timestamp")
            fields.out += String(timestamp)
        }
        fields.string("user_id", scope.userID)
        fields.string("version", version)
        fields.finish(into: &out)
        return out
    }
}

extension Message {
    /// Appends the message as `JSONEncoder` with `.sortedKeys` writes it.
    func writeJSON(into out: inout String) {
        out += "{\"content\":"
        switch content {
        case .text(let text): JSONValue.writeString(text, into: &out)
        case .parts(let parts): JSONValue.array(parts.map { .object($0.json) }).write(into: &out)
        }
        if let name {
            out += ",\"name\":"
            JSONValue.writeString(name, into: &out)
        }
        out += ",\"role\":"
        JSONValue.writeString(role.rawValue, into: &out)
        out += "}"
    }
}

/// Writes the fields of one JSON object in the order given, leaving out absent ones.
///
/// It takes the caller's text over while it writes (``init(taking:)``, ``finish(into:)``), so
/// nested objects append to one buffer without copying it.
struct JSONFieldWriter {
    var out = ""
    private var first = true

    /// Opens an object at the end of `out`, which is empty until ``finish(into:)``.
    init(taking out: inout String) {
        swap(&self.out, &out)
        self.out += "{"
    }

    /// Starts a field: the separator, the quoted key and the colon.
    mutating func key(_ key: StaticString) {
        out += first ? "\"" : ",\""
        first = false
        out += key.description
        out += "\":"
    }

    mutating func string(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        self.key(key)
        JSONValue.writeString(value, into: &out)
    }

    mutating func bool(_ key: StaticString, _ value: Bool?) {
        guard let value else { return }
        self.key(key)
        out += value ? "true" : "false"
    }

    mutating func value(_ key: StaticString, _ value: JSONValue?) {
        guard let value else { return }
        self.key(key)
        value.write(into: &out)
    }

    /// Closes the object and hands the text back to `out`.
    mutating func finish(into out: inout String) {
        self.out += "}"
        swap(&self.out, &out)
    }
}
