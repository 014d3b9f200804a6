import MemoryAPI

/// The optional scope ids and metadata a chat record may carry at its top level
/// (`user_id`, `agent_id`, `app_id`, `run_id` or `session_id`, `metadata`).
struct RecordScope {
    var scope: Scope
    var metadata: [String: JSONValue]?

    /// Reads the scope fields of a record's top-level object.
    init(node: JSONNode) throws(ReadingError) {
        var runID = try node.string("run_id", path: "run_id")
        if runID == nil { runID = try node.string("session_id", path: "session_id") }
        scope = Scope(
            userID: try node.string("user_id", path: "user_id"), agentID: try node.string("agent_id", path: "agent_id"),
            appID: try node.string("app_id", path: "app_id"), runID: runID)
        if let meta = node.field("metadata") {
            guard meta.kind == .object, case .object(let object) = meta.jsonValue else {
                throw JSONNode.wrongType("metadata", "an object", meta)
            }
            metadata = object
        }
    }
}
