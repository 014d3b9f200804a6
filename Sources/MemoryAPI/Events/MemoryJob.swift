import Foundation

/// The status of a queued job, from `GET /v1/event/{event_id}/`.
public struct MemoryJob: Sendable, Hashable {
    /// The job's state on the wire.
    public struct Status: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral {
        /// The spelling.
        public var rawValue: String
        /// Creates a status from its spelling (upper-cased).
        public init(rawValue: String) { self.rawValue = rawValue.uppercased() }
        /// Creates a status from a literal.
        public init(stringLiteral value: String) { self.init(rawValue: value) }
        /// Queued.
        public static let pending: Status = "PENDING"
        /// Being processed.
        public static let running: Status = "RUNNING"
        /// Done; `results` holds what it did.
        public static let succeeded: Status = "SUCCEEDED"
        /// Failed; `error` says why.
        public static let failed: Status = "FAILED"
        /// `true` for SUCCEEDED and FAILED.
        public var isFinal: Bool { self == .succeeded || self == .failed }

        /// Decodes a string.
        public init(from decoder: any Decoder) throws {
            self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
        }

        /// Encodes the spelling.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(rawValue)
        }
    }

    /// The job id (the `event_id` of the add answer).
    public var id: String
    /// What kind of job, e.g. `ADD`.
    public var eventType: String?
    /// Its state.
    public var status: Status
    /// The memories it produced.
    public var results: [AddEvent]?
    /// Why it failed.
    public var error: String?
    /// The request as queued.
    public var payload: JSONValue?
    /// When it was queued.
    public var createdAt: Date?
    /// When it finished.
    public var completedAt: Date?

    /// Creates a job status.
    public init(
        id: String, eventType: String? = nil, status: Status, results: [AddEvent]? = nil, error: String? = nil,
        payload: JSONValue? = nil, createdAt: Date? = nil, completedAt: Date? = nil
    ) {
        self.id = id
        self.eventType = eventType
        self.status = status
        self.results = results
        self.error = error
        self.payload = payload
        self.createdAt = createdAt
        self.completedAt = completedAt
    }
}

extension MemoryJob: Codable {
    /// Decodes the event object of contract §3.23.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Memory.AnyKey.self)
        id = try c.decode(String.self, forKey: .init("id"))
        eventType = try c.decodeIfPresent(String.self, forKey: .init("event_type"))
        status = try c.decode(Status.self, forKey: .init("status"))
        results = try c.decodeIfPresent([AddEvent].self, forKey: .init("results"))
        error = try? c.decodeIfPresent(String.self, forKey: .init("error"))
        payload = try c.decodeIfPresent(JSONValue.self, forKey: .init("payload"))
        createdAt = try Memory.decodeDate(c, key: "created_at")
        completedAt = try Memory.decodeDate(c, key: "completed_at")
    }

    /// Encodes the event object.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Memory.AnyKey.self)
        try c.encode(id, forKey: .init("id"))
        try c.encode(eventType, forKey: .init("event_type"))
        try c.encode(status, forKey: .init("status"))
        try c.encode(results ?? [], forKey: .init("results"))
        try c.encode(error, forKey: .init("error"))
        try c.encode(payload, forKey: .init("payload"))
        try c.encode(createdAt.map(MemoryTimestamp.format), forKey: .init("created_at"))
        try c.encode(completedAt.map(MemoryTimestamp.format), forKey: .init("completed_at"))
        // The platform's event object (contract §3.23; `GET /v1/events/`, read by the `mem0` CLI)
        // also carries `updated_at`, `started_at`, `latency` (milliseconds), `metadata` and
        // `graph_status`.
        try c.encode((completedAt ?? createdAt).map(MemoryTimestamp.format), forKey: .init("updated_at"))
        try c.encode(createdAt.map(MemoryTimestamp.format), forKey: .init("started_at"))
        if let createdAt, let completedAt {
            try c.encode(max(0, completedAt.timeIntervalSince(createdAt)) * 1000, forKey: .init("latency"))
        } else {
            try c.encodeNil(forKey: .init("latency"))
        }
        try c.encodeNil(forKey: .init("metadata"))
        try c.encodeNil(forKey: .init("graph_status"))
    }
}
