/// One item of an add answer or of an event's results: a memory that was added, updated or
/// deleted, or a queued job (`status: PENDING` with an `event_id`).
///
/// The text is read from `memory` or `data.memory`; encoding writes both, so every SDK
/// version finds it where it looks.
public struct AddEvent: Sendable, Hashable {
    /// The memory id, when one was created or touched.
    public var id: String?
    /// The memory text.
    public var memory: String?
    /// `ADD`, `UPDATE`, `DELETE` or `NOOP`.
    public var event: MemoryEventKind?
    /// The text before an update.
    public var previousMemory: String?
    /// `PENDING` for a queued add.
    public var status: String?
    /// The id of the queued job.
    public var eventID: String?
    /// A message such as "Memory processing has been queued for background execution".
    public var message: String?
    /// The scope the memory went to, when the server says.
    public var scope: Scope?

    /// Creates an item.
    public init(
        id: String? = nil, memory: String? = nil, event: MemoryEventKind? = nil, previousMemory: String? = nil,
        status: String? = nil, eventID: String? = nil, message: String? = nil, scope: Scope? = nil
    ) {
        self.id = id
        self.memory = memory
        self.event = event
        self.previousMemory = previousMemory
        self.status = status
        self.eventID = eventID
        self.message = message
        self.scope = scope
    }
}

extension AddEvent: Codable {
    enum CodingKeys: String, CodingKey {
        case id, memory, data, event, status, message
        case previousMemory = "previous_memory"
        case eventID = "event_id"
        case userID = "user_id"
        case agentID = "agent_id"
        case appID = "app_id"
        case runID = "run_id"
    }

    struct DataBox: Codable, Hashable { var memory: String? }

    /// Decodes any add-result item shape.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        memory =
            try c.decodeIfPresent(String.self, forKey: .memory)
            ?? (try? c.decodeIfPresent(DataBox.self, forKey: .data))?.memory
        event = try c.decodeIfPresent(MemoryEventKind.self, forKey: .event)
        previousMemory = try c.decodeIfPresent(String.self, forKey: .previousMemory)
        status = try c.decodeIfPresent(String.self, forKey: .status)
        eventID = try c.decodeIfPresent(String.self, forKey: .eventID)
        message = try c.decodeIfPresent(String.self, forKey: .message)
        let s = Scope(
            userID: try c.decodeIfPresent(String.self, forKey: .userID),
            agentID: try c.decodeIfPresent(String.self, forKey: .agentID),
            appID: try c.decodeIfPresent(String.self, forKey: .appID),
            runID: try c.decodeIfPresent(String.self, forKey: .runID))
        scope = s.isEmpty ? nil : s
    }

    /// Encodes the item with its text under both `memory` and `data.memory`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(id, forKey: .id)
        if let memory {
            try c.encode(memory, forKey: .memory)
            try c.encode(DataBox(memory: memory), forKey: .data)
        }
        try c.encodeIfPresent(event, forKey: .event)
        try c.encodeIfPresent(previousMemory, forKey: .previousMemory)
        try c.encodeIfPresent(status, forKey: .status)
        try c.encodeIfPresent(eventID, forKey: .eventID)
        try c.encodeIfPresent(message, forKey: .message)
        try c.encodeIfPresent(scope?.userID, forKey: .userID)
        try c.encodeIfPresent(scope?.agentID, forKey: .agentID)
        try c.encodeIfPresent(scope?.appID, forKey: .appID)
        try c.encodeIfPresent(scope?.runID, forKey: .runID)
    }
}

/// What an add or a history entry did to a memory; open, so unknown kinds survive.
public struct MemoryEventKind: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral {
    /// The spelling on the wire.
    public var rawValue: String
    /// Creates a kind from its spelling.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Creates a kind from a literal.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// A memory was created.
    public static let add: MemoryEventKind = "ADD"
    /// A memory changed.
    public static let update: MemoryEventKind = "UPDATE"
    /// A memory was deleted.
    public static let delete: MemoryEventKind = "DELETE"
    /// Nothing changed: the same text was already stored in that scope.
    public static let noop: MemoryEventKind = "NOOP"

    /// Decodes a string.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the spelling.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

extension Collection where Element == AddEvent {
    /// Whether these results say the add wrote nothing new: at least one, and every one a `NOOP`
    /// (a message that matched a memory the target already held).
    public var onlyMatchedExisting: Bool { !isEmpty && allSatisfy { $0.event == .noop } }
}
