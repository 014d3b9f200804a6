/// The body of an add call: `POST /v1/memories/` (v1) or `POST /v3/memories/add/` (v3).
///
/// Decoding accepts `messages` as a list, a single message object, or a bare string (what
/// SDK 0.1.118 sends); unknown fields are ignored.
public struct AddRequest: Sendable, Hashable {
    /// The messages to remember.
    public var messages: [Message]
    /// The entity ids to store them under.
    public var scope: Scope
    /// Metadata attached to every memory the call creates.
    public var metadata: [String: JSONValue]?
    /// `false` stores messages verbatim (server default `true`).
    public var infer: Bool?
    /// `v1.0` (bare list) or `v1.1` (`{"results"}`), v1 only.
    public var outputFormat: String?
    /// `v2` asks for contextual add, v1 only.
    public var version: String?
    /// `true` queues the work and answers PENDING with an event id.
    public var asyncMode: Bool?
    /// Unix seconds that back-date `created_at`.
    public var timestamp: Int64?
    /// `YYYY-MM-DD` after which the memories are hidden.
    public var expirationDate: String?
    /// Whether the memories refuse updates.
    public var immutable: Bool?
    /// `[{name: description}]` categories for this call.
    public var customCategories: JSONValue?
    /// Free-text extraction instructions.
    public var customInstructions: String?
    /// Free-text inclusion hints.
    public var includes: String?
    /// Free-text exclusion hints.
    public var excludes: String?
    /// Flat entity filters that SDK 2.2.1 allows in place of top-level ids.
    public var filters: JSONValue?
    /// The organisation, as 0.1.x and 1.x send it.
    public var orgID: String?
    /// The project, as 0.1.x and 1.x send it.
    public var projectID: String?

    /// memport's extension `memport_categories`: the categories a restored memory had. memport's
    /// own store (embedded and `memport serve`) stores them as given; the hosted platform has no
    /// such field (contract §11 q17), ignores it, and derives categories itself.
    public var memportCategories: [String]?

    /// memport's extension `memport_verbatim`: store each message with exactly the ids given, no
    /// role attribution (restore and migrate send it, so a memory keeps its scope, `user_id` and
    /// `agent_id` together included). The hosted platform ignores the field; with `infer=false` it
    /// stores messages that way already (contract §5.2).
    public var memportVerbatim: Bool?

    /// Creates an add request.
    public init(
        messages: [Message], scope: Scope, metadata: [String: JSONValue]? = nil, infer: Bool? = nil,
        outputFormat: String? = nil, version: String? = nil, asyncMode: Bool? = nil, timestamp: Int64? = nil,
        expirationDate: String? = nil, immutable: Bool? = nil, customCategories: JSONValue? = nil,
        customInstructions: String? = nil, includes: String? = nil, excludes: String? = nil,
        filters: JSONValue? = nil, orgID: String? = nil, projectID: String? = nil
    ) {
        self.messages = messages
        self.scope = scope
        self.metadata = metadata
        self.infer = infer
        self.outputFormat = outputFormat
        self.version = version
        self.asyncMode = asyncMode
        self.timestamp = timestamp
        self.expirationDate = expirationDate
        self.immutable = immutable
        self.customCategories = customCategories
        self.customInstructions = customInstructions
        self.includes = includes
        self.excludes = excludes
        self.filters = filters
        self.orgID = orgID
        self.projectID = projectID
    }

    /// The scope, with ids taken from a flat `filters` object where the top level has none.
    public var effectiveScope: Scope {
        guard scope.isEmpty, let f = filters?.objectValue else { return scope }
        return Scope(
            userID: f["user_id"]?.stringValue, agentID: f["agent_id"]?.stringValue,
            appID: f["app_id"]?.stringValue, runID: f["run_id"]?.stringValue ?? f["session_id"]?.stringValue)
    }
}

extension AddRequest: Codable {
    enum CodingKeys: String, CodingKey {
        case messages, metadata, infer, version, timestamp, immutable, includes, excludes, filters
        case userID = "user_id"
        case agentID = "agent_id"
        case appID = "app_id"
        case runID = "run_id"
        case sessionID = "session_id"
        case outputFormat = "output_format"
        case asyncMode = "async_mode"
        case expirationDate = "expiration_date"
        case customCategories = "custom_categories"
        case memportCategories = "memport_categories"
        case memportVerbatim = "memport_verbatim"
        case customInstructions = "custom_instructions"
        case orgID = "org_id"
        case projectID = "project_id"
    }

    /// Decodes an add body as any SDK version sends it.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let list = try? c.decode([Message].self, forKey: .messages) {
            messages = list
        } else if let one = try? c.decode(Message.self, forKey: .messages) {
            messages = [one]
        } else if let text = try? c.decode(String.self, forKey: .messages) {
            messages = [Message(role: .user, text: text)]
        } else if c.contains(.messages) {
            // Decode once more to surface the precise error.
            messages = try c.decode([Message].self, forKey: .messages)
        } else {
            throw DecodingError.keyNotFound(
                CodingKeys.messages, .init(codingPath: c.codingPath, debugDescription: "messages is required"))
        }
        scope = Scope(
            userID: try c.decodeIfPresent(String.self, forKey: .userID),
            agentID: try c.decodeIfPresent(String.self, forKey: .agentID),
            appID: try c.decodeIfPresent(String.self, forKey: .appID),
            runID: try c.decodeIfPresent(String.self, forKey: .runID)
                ?? c.decodeIfPresent(String.self, forKey: .sessionID))
        let meta = try c.decodeIfPresent(JSONValue.self, forKey: .metadata)
        switch meta {
        case .none, .some(.null): metadata = nil
        case .some(.object(let o)): metadata = o
        case .some(let other):
            throw DecodingError.typeMismatch(
                [String: JSONValue].self,
                .init(
                    codingPath: c.codingPath + [CodingKeys.metadata],
                    debugDescription: "metadata must be an object, got \(other.typeDescription)"))
        }
        infer = try c.decodeIfPresent(Bool.self, forKey: .infer)
        outputFormat = try c.decodeIfPresent(String.self, forKey: .outputFormat)
        version = try c.decodeIfPresent(String.self, forKey: .version)
        asyncMode = try c.decodeIfPresent(Bool.self, forKey: .asyncMode)
        if let raw = try c.decodeIfPresent(JSONValue.self, forKey: .timestamp), !raw.isNull {
            guard let d = raw.doubleValue else {
                throw DecodingError.typeMismatch(
                    Int64.self,
                    .init(
                        codingPath: c.codingPath + [CodingKeys.timestamp],
                        debugDescription: "timestamp must be Unix seconds, got \(raw.typeDescription)"))
            }
            // Milliseconds and microseconds become seconds; a value no unit makes a date is refused.
            guard let seconds = MemoryTimestamp.epochSeconds(d) else {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: c.codingPath + [CodingKeys.timestamp],
                        debugDescription: "timestamp \(MemoryTimestamp.epochRule), got \(raw.jsonString())"))
            }
            timestamp = Int64(seconds.rounded(.down))
        } else {
            timestamp = nil
        }
        expirationDate = try c.decodeIfPresent(String.self, forKey: .expirationDate)
        immutable = try c.decodeIfPresent(Bool.self, forKey: .immutable)
        customCategories = try c.decodeIfPresent(JSONValue.self, forKey: .customCategories)
        memportCategories = try c.decodeIfPresent([String].self, forKey: .memportCategories)
        memportVerbatim = try c.decodeIfPresent(Bool.self, forKey: .memportVerbatim)
        customInstructions = try c.decodeIfPresent(String.self, forKey: .customInstructions)
        includes = try c.decodeIfPresent(String.self, forKey: .includes)
        excludes = try c.decodeIfPresent(String.self, forKey: .excludes)
        filters = try c.decodeIfPresent(JSONValue.self, forKey: .filters)
        orgID = try c.decodeIfPresent(String.self, forKey: .orgID)
        projectID = try c.decodeIfPresent(String.self, forKey: .projectID)
    }

    /// Encodes the fields that are set, as the SDK does (no nulls).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(messages, forKey: .messages)
        try c.encodeIfPresent(scope.userID, forKey: .userID)
        try c.encodeIfPresent(scope.agentID, forKey: .agentID)
        try c.encodeIfPresent(scope.appID, forKey: .appID)
        try c.encodeIfPresent(scope.runID, forKey: .runID)
        try c.encodeIfPresent(metadata, forKey: .metadata)
        try c.encodeIfPresent(infer, forKey: .infer)
        try c.encodeIfPresent(outputFormat, forKey: .outputFormat)
        try c.encodeIfPresent(version, forKey: .version)
        try c.encodeIfPresent(asyncMode, forKey: .asyncMode)
        try c.encodeIfPresent(timestamp, forKey: .timestamp)
        try c.encodeIfPresent(expirationDate, forKey: .expirationDate)
        try c.encodeIfPresent(immutable, forKey: .immutable)
        try c.encodeIfPresent(customCategories, forKey: .customCategories)
        try c.encodeIfPresent(memportCategories, forKey: .memportCategories)
        try c.encodeIfPresent(memportVerbatim, forKey: .memportVerbatim)
        try c.encodeIfPresent(customInstructions, forKey: .customInstructions)
        try c.encodeIfPresent(includes, forKey: .includes)
        try c.encodeIfPresent(excludes, forKey: .excludes)
        try c.encodeIfPresent(filters, forKey: .filters)
        try c.encodeIfPresent(orgID, forKey: .orgID)
        try c.encodeIfPresent(projectID, forKey: .projectID)
    }
}
