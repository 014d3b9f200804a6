/// One item of `PUT /v1/batch/`: a memory id and its new text and/or metadata.
public struct BatchUpdateItem: Sendable, Hashable, Codable {
    /// The memory to change.
    public var memoryID: String
    /// The new text.
    public var text: String?
    /// The new metadata (replaces the old object).
    public var metadata: [String: JSONValue]?

    /// Creates an item.
    public init(memoryID: String, text: String? = nil, metadata: [String: JSONValue]? = nil) {
        self.memoryID = memoryID
        self.text = text
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case memoryID = "memory_id"
        case text, metadata
    }
}

/// One item of `DELETE /v1/batch/`: a memory id.
public struct BatchDeleteItem: Sendable, Hashable, Codable {
    /// The memory to delete.
    public var memoryID: String

    /// Creates an item.
    public init(memoryID: String) { self.memoryID = memoryID }

    enum CodingKeys: String, CodingKey { case memoryID = "memory_id" }

    /// Decodes `{"memory_id": "..."}` or a bare id string.
    public init(from decoder: any Decoder) throws {
        if let s = try? decoder.singleValueContainer().decode(String.self) {
            memoryID = s
            return
        }
        memoryID = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .memoryID)
    }

    /// Encodes `{"memory_id": "..."}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(memoryID, forKey: .memoryID)
    }
}

/// The body of a batch call: `{"memories": [...]}` of at most `BatchRequest.maxItems` items.
///
/// Decoding also takes the `memory_ids` key that an old documentation example uses.
public struct BatchRequest<Item: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
    /// The most items one batch call may carry (contract §8.3).
    public static var maxItems: Int { 1000 }

    /// The items.
    public var memories: [Item]

    /// Creates a batch body.
    public init(memories: [Item]) { self.memories = memories }

    enum CodingKeys: String, CodingKey {
        case memories
        case memoryIDs = "memory_ids"
    }

    /// Decodes `memories` or `memory_ids`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if c.contains(.memories) {
            memories = try c.decode([Item].self, forKey: .memories)
        } else {
            memories = try c.decode([Item].self, forKey: .memoryIDs)
        }
    }

    /// Encodes `{"memories": [...]}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(memories, forKey: .memories)
    }

    /// Refuses an empty or oversized batch before it is sent.
    public func validate() throws {
        if memories.isEmpty { throw MemoryAPIError.invalid(at: "memories", "a batch needs at least one item") }
        if memories.count > Self.maxItems {
            throw MemoryAPIError.invalid(
                at: "memories", "a batch takes at most \(Self.maxItems) items, got \(memories.count)")
        }
    }
}

/// An answer that is only a message, sometimes with a job id:
/// `{"message": "Memory deleted successfully!"}`, `{"message": "...", "event_id": "..."}`.
public struct MessageResponse: Sendable, Hashable, Codable {
    /// The message.
    public var message: String?
    /// The job id of an asynchronous delete.
    public var eventID: String?

    /// Creates an answer.
    public init(message: String?, eventID: String? = nil) {
        self.message = message
        self.eventID = eventID
    }

    enum CodingKeys: String, CodingKey {
        case message
        case eventID = "event_id"
    }
}
