/// Which fields of a generic CSV row or JSON object hold the role, the content, the scope ids,
/// the timestamp, the message id, the grouping key and the metadata.
///
/// Parsed from `role=speaker,content=text,user_id=uid,group=session,metadata=lang|topic`.
public struct FieldMapping: Sendable, Hashable, Codable {
    /// The field with the role (`user`, `assistant`, ...); `nil` means every row is `user`.
    public var role: String?
    /// The field with the message text.
    public var content: String
    /// The field with `user_id`.
    public var userID: String?
    /// The field with `agent_id`.
    public var agentID: String?
    /// The field with `run_id`.
    public var runID: String?
    /// The field with `app_id`.
    public var appID: String?
    /// The field with the timestamp (Unix seconds or ISO 8601).
    public var timestamp: String?
    /// The field with the message id.
    public var id: String?
    /// The field whose value groups consecutive rows into one conversation.
    public var group: String?
    /// Fields copied into the metadata.
    public var metadata: [String]

    /// Creates a mapping.
    public init(
        role: String? = "role", content: String = "content", userID: String? = "user_id",
        agentID: String? = "agent_id", runID: String? = "run_id", appID: String? = "app_id",
        timestamp: String? = "timestamp", id: String? = "id", group: String? = "conversation_id",
        metadata: [String] = []
    ) {
        self.role = role
        self.content = content
        self.userID = userID
        self.agentID = agentID
        self.runID = runID
        self.appID = appID
        self.timestamp = timestamp
        self.id = id
        self.group = group
        self.metadata = metadata
    }

    /// The default mapping: fields named `role`, `content`, `user_id`, `agent_id`, `run_id`,
    /// `app_id`, `timestamp`, `id`, grouped by `conversation_id`.
    public static let standard = FieldMapping()

    /// Splits `key=field,key=field` into pairs (the form of `--map` and a pipeline file's
    /// `mapping`), without checking the keys: ``parse(_:)`` does.
    ///
    /// - Throws: `ReadingError` `.usage` for a pair without `=`.
    public static func pairs(_ text: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                String($0).trimmingCharacters(in: .whitespaces)
            }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ReadingError(.usage, "a mapping pair must be key=field, got '\(pair)'")
            }
            out[parts[0]] = parts[1]
        }
        return out
    }

    /// Parses `key=field` pairs separated by commas over the standard mapping; `metadata` takes
    /// fields separated by `|`.
    ///
    /// - Throws: `ReadingError` `.usage` naming an unknown key or a pair without `=`.
    public static func parse(_ text: String) throws -> FieldMapping {
        var mapping = FieldMapping.standard
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                String($0).trimmingCharacters(in: .whitespaces)
            }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ReadingError(.usage, "a mapping pair must be key=field, got '\(pair)'")
            }
            let value: String? = parts[1].isEmpty ? nil : parts[1]
            switch parts[0] {
            case "role": mapping.role = value
            case "content": mapping.content = value ?? mapping.content
            case "user_id": mapping.userID = value
            case "agent_id": mapping.agentID = value
            case "run_id": mapping.runID = value
            case "app_id": mapping.appID = value
            case "timestamp": mapping.timestamp = value
            case "id": mapping.id = value
            case "group": mapping.group = value
            case "metadata": mapping.metadata = value.map { $0.split(separator: "|").map(String.init) } ?? []
            default:
                throw ReadingError(
                    .usage,
                    "unknown mapping key '\(parts[0])'; known: role, content, user_id, agent_id, run_id, app_id, "
                        + "timestamp, id, group, metadata")
            }
        }
        return mapping
    }
}
