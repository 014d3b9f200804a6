import Foundation

/// One step in a memory's history (`GET /v1/memories/{id}/history/`).
public struct HistoryEntry: Sendable, Hashable {
    /// The entry's id.
    public var id: String
    /// The memory it belongs to.
    public var memoryID: String
    /// The messages that caused the change, when known.
    public var input: [Message]?
    /// The text before (nil for an ADD; the string `"None"` reads as nil).
    public var oldMemory: String?
    /// The text after (nil for a DELETE).
    public var newMemory: String?
    /// `ADD`, `UPDATE` or `DELETE`.
    public var event: MemoryEventKind
    /// The memory's scope.
    public var scope: Scope
    /// The memory's categories then.
    public var categories: [String]?
    /// The memory's metadata then.
    public var metadata: [String: JSONValue]?
    /// When the change happened.
    public var createdAt: Date?
    /// When the entry was last written.
    public var updatedAt: Date?

    /// Creates an entry.
    public init(
        id: String, memoryID: String, input: [Message]? = nil, oldMemory: String? = nil, newMemory: String? = nil,
        event: MemoryEventKind, scope: Scope = Scope(), categories: [String]? = nil,
        metadata: [String: JSONValue]? = nil, createdAt: Date? = nil, updatedAt: Date? = nil
    ) {
        self.id = id
        self.memoryID = memoryID
        self.input = input
        self.oldMemory = oldMemory
        self.newMemory = newMemory
        self.event = event
        self.scope = scope
        self.categories = categories
        self.metadata = metadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

extension HistoryEntry: Codable {
    /// Decodes an entry in any era's shape.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Memory.AnyKey.self)
        func string(_ key: String) throws -> String? {
            let s = try c.decodeIfPresent(String.self, forKey: .init(key))
            return s == "None" ? nil : s
        }
        id = try string("id") ?? ""
        memoryID = try string("memory_id") ?? ""
        input = try? c.decodeIfPresent([Message].self, forKey: .init("input"))
        oldMemory = try string("old_memory")
        newMemory = try string("new_memory")
        event = try c.decode(MemoryEventKind.self, forKey: .init("event"))
        scope = Scope(
            userID: try string("user_id"), agentID: try string("agent_id"), appID: try string("app_id"),
            runID: try string("run_id") ?? string("session_id"))
        categories = try Memory.decodeCategories(c)
        metadata = try Memory.decodeMetadata(c, key: "metadata")
        createdAt = try Memory.decodeDate(c, key: "created_at")
        updatedAt = try Memory.decodeDate(c, key: "updated_at")
    }

    /// Encodes the entry; the run id follows `RunIDSpelling.userInfoKey` (default `run_id`).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Memory.AnyKey.self)
        let spelling = encoder.userInfo[RunIDSpelling.userInfoKey] as? RunIDSpelling ?? .runID
        try c.encode(id, forKey: .init("id"))
        try c.encode(memoryID, forKey: .init("memory_id"))
        try c.encode(input, forKey: .init("input"))
        try c.encode(oldMemory, forKey: .init("old_memory"))
        try c.encode(newMemory, forKey: .init("new_memory"))
        try c.encode(event, forKey: .init("event"))
        try c.encode(scope.userID, forKey: .init("user_id"))
        try c.encode(scope.agentID, forKey: .init("agent_id"))
        try c.encode(scope.appID, forKey: .init("app_id"))
        if spelling != .sessionID { try c.encode(scope.runID, forKey: .init("run_id")) }
        if spelling != .runID { try c.encode(scope.runID, forKey: .init("session_id")) }
        try c.encode(categories, forKey: .init("categories"))
        try c.encode(metadata, forKey: .init("metadata"))
        try c.encode(createdAt.map(MemoryTimestamp.format), forKey: .init("created_at"))
        try c.encode(updatedAt.map(MemoryTimestamp.format), forKey: .init("updated_at"))
    }
}
