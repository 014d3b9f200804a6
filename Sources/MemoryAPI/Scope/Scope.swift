/// The entity ids a memory belongs to: a user, an agent, an app and a run (session).
///
/// ```swift
/// let scope = Scope(userID: "alice", runID: "trip-2024")
/// ```
public struct Scope: Sendable, Hashable, Codable {
    /// `user_id`.
    public var userID: String?
    /// `agent_id`.
    public var agentID: String?
    /// `app_id`.
    public var appID: String?
    /// `run_id` (also sent as `session_id`).
    public var runID: String?

    /// Creates a scope.
    public init(userID: String? = nil, agentID: String? = nil, appID: String? = nil, runID: String? = nil) {
        self.userID = userID
        self.agentID = agentID
        self.appID = appID
        self.runID = runID
    }

    /// Byte equality of every id: `"café"` and `"cafe\u{301}"` are two users (see ``ExactText``).
    public static func == (a: Scope, b: Scope) -> Bool {
        a.userID.isExactly(b.userID) && a.agentID.isExactly(b.agentID) && a.appID.isExactly(b.appID)
            && a.runID.isExactly(b.runID)
    }

    /// Hashes the ids' bytes, consistent with ``==(_:_:)``.
    public func hash(into hasher: inout Hasher) {
        ExactText.hash(userID, into: &hasher)
        ExactText.hash(agentID, into: &hasher)
        ExactText.hash(appID, into: &hasher)
        ExactText.hash(runID, into: &hasher)
    }

    /// `true` when no id is set.
    public var isEmpty: Bool { userID == nil && agentID == nil && appID == nil && runID == nil }

    /// The id for one entity type.
    public subscript(type: EntityType) -> String? {
        get {
            switch type {
            case .user: return userID
            case .agent: return agentID
            case .app: return appID
            case .run: return runID
            }
        }
        set {
            switch type {
            case .user: userID = newValue
            case .agent: agentID = newValue
            case .app: appID = newValue
            case .run: runID = newValue
            }
        }
    }

    /// Fills every id this scope lacks from `other`.
    public func merging(defaults other: Scope) -> Scope {
        Scope(
            userID: userID ?? other.userID, agentID: agentID ?? other.agentID, appID: appID ?? other.appID,
            runID: runID ?? other.runID)
    }

    /// `user=alice agent=bot`, for logs and summaries.
    public var label: String {
        let parts = EntityType.allCases.compactMap { t in self[t].map { "\(t.rawValue)=\($0)" } }
        return parts.isEmpty ? "(no scope)" : parts.joined(separator: " ")
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case agentID = "agent_id"
        case appID = "app_id"
        case runID = "run_id"
        case sessionID = "session_id"
    }

    /// Decodes `user_id`, `agent_id`, `app_id` and `run_id` (or `session_id`).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        userID = try c.decodeIfPresent(String.self, forKey: .userID)
        agentID = try c.decodeIfPresent(String.self, forKey: .agentID)
        appID = try c.decodeIfPresent(String.self, forKey: .appID)
        runID = try c.decodeIfPresent(String.self, forKey: .runID)
        if runID == nil { runID = try c.decodeIfPresent(String.self, forKey: .sessionID) }
    }

    /// Encodes the ids that are set.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(userID, forKey: .userID)
        try c.encodeIfPresent(agentID, forKey: .agentID)
        try c.encodeIfPresent(appID, forKey: .appID)
        try c.encodeIfPresent(runID, forKey: .runID)
    }
}

/// The four kinds of entity a memory can belong to.
public enum EntityType: String, Sendable, Hashable, Codable, CaseIterable {
    /// A user (`user_id`).
    case user
    /// An agent (`agent_id`).
    case agent
    /// An app (`app_id`).
    case app
    /// A run or session (`run_id`).
    case run

    /// The id field that names this entity on a memory: `user_id`, `agent_id`, `app_id`, `run_id`.
    public var idField: String { rawValue + "_id" }
}
