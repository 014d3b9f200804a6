import Foundation

/// A user, agent, app or run that owns memories, as `GET /v1/entities/` lists it.
public struct Entity: Sendable, Hashable {
    /// The internal id (a numeric-looking string).
    public var id: String
    /// The entity's name: the user_id, agent_id, app_id or run_id itself.
    public var name: String
    /// Which kind of entity.
    public var type: EntityType
    /// How many memories it owns.
    public var totalMemories: Int?
    /// When it first appeared.
    public var createdAt: Date?
    /// When it last changed.
    public var updatedAt: Date?
    /// The owner (an email or org name on the platform).
    public var owner: String?
    /// Entity metadata.
    public var metadata: [String: JSONValue]?

    /// Creates an entity.
    public init(
        id: String, name: String, type: EntityType, totalMemories: Int? = nil, createdAt: Date? = nil,
        updatedAt: Date? = nil, owner: String? = nil, metadata: [String: JSONValue]? = nil
    ) {
        self.id = id
        self.name = name
        self.type = type
        self.totalMemories = totalMemories
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.owner = owner
        self.metadata = metadata
    }
}

extension Entity: Codable {
    /// Decodes an entity; the id may be a string or a number.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Memory.AnyKey.self)
        if let s = try? c.decode(String.self, forKey: .init("id")) {
            id = s
        } else {
            id = String(try c.decode(Int64.self, forKey: .init("id")))
        }
        name = try c.decode(String.self, forKey: .init("name"))
        type = try c.decode(EntityType.self, forKey: .init("type"))
        totalMemories = try c.decodeIfPresent(Int.self, forKey: .init("total_memories"))
        createdAt = try Memory.decodeDate(c, key: "created_at")
        updatedAt = try Memory.decodeDate(c, key: "updated_at")
        owner = try c.decodeIfPresent(String.self, forKey: .init("owner"))
        metadata = try Memory.decodeMetadata(c, key: "metadata")
    }

    /// Encodes the entity as the platform does.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Memory.AnyKey.self)
        try c.encode(id, forKey: .init("id"))
        try c.encode(name, forKey: .init("name"))
        try c.encode(type, forKey: .init("type"))
        try c.encodeIfPresent(totalMemories, forKey: .init("total_memories"))
        try c.encode(createdAt.map(MemoryTimestamp.format), forKey: .init("created_at"))
        try c.encode(updatedAt.map(MemoryTimestamp.format), forKey: .init("updated_at"))
        try c.encode(owner, forKey: .init("owner"))
        try c.encode(metadata, forKey: .init("metadata"))
    }
}

/// The answer of `GET /v1/entities/`: a page of entities plus totals per type.
/// A bare list (as an old doc example shows) also decodes.
public struct EntityList: Sendable, Hashable {
    /// The entities, as a page.
    public var page: Page<Entity>
    /// `total_users`, `total_agents`, `total_apps`, `total_runs` when sent.
    public var totals: [EntityType: Int]

    /// Creates a list; totals are counted from the entities when not given.
    public init(entities: [Entity], totals: [EntityType: Int]? = nil) {
        page = Page(count: entities.count, results: entities)
        self.totals =
            totals
            ?? Dictionary(grouping: entities, by: \.type).mapValues(\.count)
    }

    /// The entities.
    public var entities: [Entity] { page.results }
}

extension EntityList: Codable {
    enum CodingKeys: String, CodingKey {
        case totalUsers = "total_users"
        case totalAgents = "total_agents"
        case totalApps = "total_apps"
        case totalRuns = "total_runs"
    }

    private static let totalKeys: [(EntityType, CodingKeys)] = [
        (.user, .totalUsers), (.agent, .totalAgents), (.app, .totalApps), (.run, .totalRuns),
    ]

    /// Decodes the envelope or a bare list.
    public init(from decoder: any Decoder) throws {
        page = try Page<Entity>(from: decoder)
        var totals: [EntityType: Int] = [:]
        if let c = try? decoder.container(keyedBy: CodingKeys.self) {
            for (type, key) in Self.totalKeys {
                if let n = try c.decodeIfPresent(Int.self, forKey: key) { totals[type] = n }
            }
        }
        self.totals = totals
    }

    /// Encodes the envelope with totals (every SDK indexes `results`).
    public func encode(to encoder: any Encoder) throws {
        var envelope = page
        envelope.shape = .paginated
        try envelope.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        for (type, key) in Self.totalKeys { try c.encode(totals[type] ?? 0, forKey: key) }
    }
}
