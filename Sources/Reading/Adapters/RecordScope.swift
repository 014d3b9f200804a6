import MemoryAPI

/// The optional scope ids and metadata a chat record may carry at its top level
/// (`user_id`, `agent_id`, `app_id`, `run_id` or `session_id`, `metadata`).
struct RecordScope {
    var scope: Scope
    var metadata: [String: JSONValue]?

    /// The members read, in slot order.
    static let names: [StaticString] = ["user_id", "agent_id", "app_id", "run_id", "session_id", "metadata"]

    /// Reads the scope fields of a record's top-level object (its keys in one pass).
    init(node: JSONNode) throws(ReadingError) {
        let fields = MemberSlots(node, names: Self.names)
        // The same checks, in the same order, as reading each field by name.
        var runID = try JSONNode.string(fields[3], path: "run_id")
        if runID == nil { runID = try JSONNode.string(fields[4], path: "session_id") }
        scope = Scope(
            userID: try JSONNode.string(fields[0], path: "user_id"),
            agentID: try JSONNode.string(fields[1], path: "agent_id"),
            appID: try JSONNode.string(fields[2], path: "app_id"), runID: runID)
        if let meta = fields[5] {
            guard meta.kind == .object, case .object(let object) = meta.jsonValue else {
                throw JSONNode.wrongType("metadata", "an object", meta)
            }
            metadata = object
        }
    }
}
