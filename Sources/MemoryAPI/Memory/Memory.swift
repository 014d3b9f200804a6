import Foundation

/// A memory as the Mem0 API returns it from get, get_all, search and update.
///
/// Decoding is tolerant of every shape of contract §4: `run_id` or `session_id`; `metadata`
/// as null, an object or the Python string `"None"`; `categories` null or a list; dates with or
/// without fractional seconds and offsets; `text` in place of `memory` in old update answers.
public struct Memory: Sendable, Hashable {
    /// The memory id (a UUID on the platform).
    public var id: String
    /// The memory text.
    public var memory: String
    /// The entity ids the memory belongs to.
    public var scope: Scope
    /// Arbitrary user metadata.
    public var metadata: [String: JSONValue]?
    /// Categories assigned by the platform.
    public var categories: [String]?
    /// Whether updates are refused.
    public var immutable: Bool?
    /// `YYYY-MM-DD` after which the memory is hidden.
    public var expirationDate: String?
    /// When the memory was created (or back-dated to).
    public var createdAt: Date?
    /// When the memory last changed.
    public var updatedAt: Date?
    /// The content hash of 0.1.x-era payloads.
    public var hash: String?
    /// The relevance of a search result, 0 to 1.
    public var score: Double?
    /// Where Mem0's Dream lifecycle has the memory: `active`, `superseded` or `merged`
    /// (``MemoryLifecycle``); nil when the target does not say.
    public var lifecycleState: String?
    /// `true` for a pattern memory Dream's Synthesis wrote from other memories.
    public var synthesized: Bool?
    /// The id of the memory that superseded or absorbed this one.
    public var replacedBy: String?
    /// Other fields the platform sends (`structured_attributes`, `replaced_by`, ...), kept as they came.
    public var extra: [String: JSONValue]

    /// Creates a memory.
    public init(
        id: String, memory: String, scope: Scope = Scope(), metadata: [String: JSONValue]? = nil,
        categories: [String]? = nil, immutable: Bool? = nil, expirationDate: String? = nil,
        createdAt: Date? = nil, updatedAt: Date? = nil, hash: String? = nil, score: Double? = nil,
        lifecycleState: String? = nil, synthesized: Bool? = nil, replacedBy: String? = nil,
        extra: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.memory = memory
        self.scope = scope
        self.metadata = metadata
        self.categories = categories
        self.immutable = immutable
        self.expirationDate = expirationDate
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.hash = hash
        self.score = score
        self.lifecycleState = lifecycleState
        self.synthesized = synthesized
        self.replacedBy = replacedBy
        self.extra = extra
    }
}

/// How the run id is spelled when a memory is encoded.
public enum RunIDSpelling: String, Sendable {
    /// `run_id` (v3 search, older payloads, memport's own files).
    case runID = "run_id"
    /// `session_id` (get, get_all v2/v3 and history on the current platform).
    case sessionID = "session_id"
    /// Both keys, for a server that must satisfy every reader.
    case both

    /// The `userInfo` key an encoder sets to choose the spelling.
    public static let userInfoKey = CodingUserInfoKey(rawValue: "memport.runIDSpelling")!
}
