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

extension AddRequest {
    /// The request in a parsed body, read straight from the tree when every field has the type
    /// it should (messages a list of objects with string contents); nil otherwise, and the caller
    /// decodes it the long way (``init(from:)``), which accepts the other shapes and says what is
    /// wrong. The value is the one ``init(from:)`` gives. A server reads one per add.
    public init?(tree o: [String: JSONValue]) {
        guard case .array(let list)? = o["messages"] else { return nil }
        var messages: [Message] = []
        messages.reserveCapacity(list.count)
        for item in list {
            guard let message = Message(tree: item) else { return nil }
            messages.append(message)
        }
        guard let userID = JSONValue.optionalString(o["user_id"]),
            let agentID = JSONValue.optionalString(o["agent_id"]),
            let appID = JSONValue.optionalString(o["app_id"]),
            let runID = JSONValue.optionalString(o["run_id"]),
            let sessionID = JSONValue.optionalString(o["session_id"]),
            let infer = JSONValue.optionalBool(o["infer"]),
            let outputFormat = JSONValue.optionalString(o["output_format"]),
            let version = JSONValue.optionalString(o["version"]),
            let asyncMode = JSONValue.optionalBool(o["async_mode"]),
            let expirationDate = JSONValue.optionalString(o["expiration_date"]),
            let immutable = JSONValue.optionalBool(o["immutable"]),
            let memportVerbatim = JSONValue.optionalBool(o["memport_verbatim"]),
            let customInstructions = JSONValue.optionalString(o["custom_instructions"]),
            let includes = JSONValue.optionalString(o["includes"]),
            let excludes = JSONValue.optionalString(o["excludes"]),
            let orgID = JSONValue.optionalString(o["org_id"]),
            let projectID = JSONValue.optionalString(o["project_id"])
        else { return nil }
        var metadata: [String: JSONValue]?
        switch o["metadata"] {
        case .none, .some(.null): metadata = nil
        case .some(.object(let fields)): metadata = fields
        default: return nil
        }
        var timestamp: Int64?
        switch o["timestamp"] {
        case .none, .some(.null): timestamp = nil
        case .some(let raw):
            guard let d = raw.doubleValue, let seconds = MemoryTimestamp.epochSeconds(d) else { return nil }
            timestamp = Int64(seconds.rounded(.down))
        }
        var memportCategories: [String]?
        switch o["memport_categories"] {
        case .none, .some(.null): memportCategories = nil
        case .some(.array(let items)):
            var names: [String] = []
            for item in items {
                guard case .string(let s) = item else { return nil }
                names.append(s)
            }
            memportCategories = names
        default: return nil
        }
        self.init(
            messages: messages,
            scope: Scope(userID: userID, agentID: agentID, appID: appID, runID: runID ?? sessionID),
            metadata: metadata, infer: infer, outputFormat: outputFormat, version: version, asyncMode: asyncMode,
            timestamp: timestamp, expirationDate: expirationDate, immutable: immutable,
            customCategories: o["custom_categories"].flatMap(JSONValue.present),
            customInstructions: customInstructions, includes: includes, excludes: excludes,
            filters: o["filters"].flatMap(JSONValue.present), orgID: orgID, projectID: projectID)
        self.memportCategories = memportCategories
        self.memportVerbatim = memportVerbatim
    }
}
