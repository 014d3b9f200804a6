/// The answer to an add call, in any of its shapes (contract §3.2, §3.3):
/// a v1.0 bare list, a v1.1 `{"results": [...]}` envelope, a v3 `{"event_id", "status": "PENDING"}`,
/// or a v3 synchronous `{"message", "status", "event_id", "results"}`.
public struct AddResponse: Sendable, Hashable {
    /// Which shape the answer had; encoding writes the same shape back.
    public enum Shape: String, Sendable, Hashable {
        /// A bare JSON array of items (v1.0).
        case list
        /// An object with `results` (v1.1, v3 synchronous).
        case envelope
        /// An object with an `event_id` and no `results` (v3 asynchronous).
        case event
    }

    /// The shape.
    public var shape: Shape
    /// The items: memories touched, or queued jobs.
    public var results: [AddEvent]
    /// The graph relations some answers carry.
    public var relations: JSONValue?
    /// The job id of an asynchronous or v3 answer.
    public var eventID: String?
    /// `PENDING` or `SUCCEEDED`.
    public var status: String?
    /// A human message.
    public var message: String?

    /// Creates an answer.
    public init(
        shape: Shape, results: [AddEvent] = [], relations: JSONValue? = nil, eventID: String? = nil,
        status: String? = nil, message: String? = nil
    ) {
        self.shape = shape
        self.results = results
        self.relations = relations
        self.eventID = eventID
        self.status = status
        self.message = message
    }

    /// Every job id the answer names (its own and its items'), for polling.
    public var pendingEventIDs: [String] {
        var ids: [String] = []
        if let eventID, status?.uppercased() == "PENDING" { ids.append(eventID) }
        for r in results where r.status?.uppercased() == "PENDING" {
            if let e = r.eventID, !ids.contains(e) { ids.append(e) }
        }
        return ids
    }
}

extension AddResponse: Codable {
    enum CodingKeys: String, CodingKey {
        case results, relations, status, message
        case eventID = "event_id"
    }

    /// Decodes any add answer; an object with neither `results` nor `event_id` is an error.
    public init(from decoder: any Decoder) throws {
        if let list = try? decoder.singleValueContainer().decode([AddEvent].self) {
            self.init(shape: .list, results: list)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let results = try c.decodeIfPresent([AddEvent].self, forKey: .results)
        let eventID = try c.decodeIfPresent(String.self, forKey: .eventID)
        guard results != nil || eventID != nil else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "an add answer needs a list, a results key or an event_id"))
        }
        self.init(
            shape: results == nil ? .event : .envelope, results: results ?? [],
            relations: try c.decodeIfPresent(JSONValue.self, forKey: .relations), eventID: eventID,
            status: try c.decodeIfPresent(String.self, forKey: .status),
            message: try c.decodeIfPresent(String.self, forKey: .message))
    }

    /// Encodes the answer in its shape.
    public func encode(to encoder: any Encoder) throws {
        if shape == .list {
            var c = encoder.singleValueContainer()
            try c.encode(results)
            return
        }
        var c = encoder.container(keyedBy: CodingKeys.self)
        if shape == .envelope { try c.encode(results, forKey: .results) }
        try c.encodeIfPresent(relations, forKey: .relations)
        try c.encodeIfPresent(eventID, forKey: .eventID)
        try c.encodeIfPresent(status, forKey: .status)
        try c.encodeIfPresent(message, forKey: .message)
    }
}
