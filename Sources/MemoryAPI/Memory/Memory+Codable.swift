import Foundation

extension Memory: Codable {
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static let knownKeys: Set<String> = [
        "id", "memory", "text", "data", "user_id", "agent_id", "app_id", "run_id", "session_id", "metadata",
        "categories", "immutable", "expiration_date", "created_at", "updated_at", "hash", "score",
    ]

    /// Decodes any of the memory shapes of contract §4.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        func string(_ key: String) throws -> String? {
            try c.decodeIfPresent(String.self, forKey: AnyKey(key))
        }
        id = try Self.decodeID(c)
        if let m = try string("memory") {
            memory = m
        } else if let t = try string("text") {
            memory = t
        } else if let data = try? c.decodeIfPresent([String: JSONValue].self, forKey: AnyKey("data")),
            let m = data["memory"]?.stringValue
        {
            memory = m
        } else {
            throw DecodingError.keyNotFound(
                AnyKey("memory"), .init(codingPath: decoder.codingPath, debugDescription: "a memory needs its text"))
        }
        scope = Scope(
            userID: try string("user_id"), agentID: try string("agent_id"), appID: try string("app_id"),
            runID: try string("run_id") ?? string("session_id"))
        metadata = try Self.decodeMetadata(c, key: "metadata")
        categories = try Self.decodeCategories(c)
        immutable = try Self.decodeBool(c, key: "immutable")
        expirationDate = try string("expiration_date")
        createdAt = try Self.decodeDate(c, key: "created_at")
        updatedAt = try Self.decodeDate(c, key: "updated_at")
        hash = try string("hash")
        score = try c.decodeIfPresent(Double.self, forKey: AnyKey("score"))
        var extra: [String: JSONValue] = [:]
        for key in c.allKeys where !Self.knownKeys.contains(key.stringValue) {
            extra[key.stringValue] = try c.decode(JSONValue.self, forKey: key)
        }
        self.extra = extra
    }

    /// Encodes the memory; the run id's spelling follows `RunIDSpelling.userInfoKey` (default `run_id`).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        let spelling = encoder.userInfo[RunIDSpelling.userInfoKey] as? RunIDSpelling ?? .runID
        for (key, value) in extra where !Self.knownKeys.contains(key) {
            try c.encode(value, forKey: AnyKey(key))
        }
        try c.encode(id, forKey: AnyKey("id"))
        try c.encode(memory, forKey: AnyKey("memory"))
        try c.encode(scope.userID, forKey: AnyKey("user_id"))
        try c.encode(scope.agentID, forKey: AnyKey("agent_id"))
        try c.encode(scope.appID, forKey: AnyKey("app_id"))
        if spelling != .sessionID { try c.encode(scope.runID, forKey: AnyKey("run_id")) }
        if spelling != .runID { try c.encode(scope.runID, forKey: AnyKey("session_id")) }
        try c.encodeIfPresent(hash, forKey: AnyKey("hash"))
        try c.encode(metadata, forKey: AnyKey("metadata"))
        try c.encode(categories, forKey: AnyKey("categories"))
        try c.encodeIfPresent(immutable, forKey: AnyKey("immutable"))
        try c.encode(expirationDate, forKey: AnyKey("expiration_date"))
        try c.encode(createdAt.map(MemoryTimestamp.format), forKey: AnyKey("created_at"))
        try c.encode(updatedAt.map(MemoryTimestamp.format), forKey: AnyKey("updated_at"))
        try c.encodeIfPresent(score, forKey: AnyKey("score"))
    }

    private static func decodeID(_ c: KeyedDecodingContainer<AnyKey>) throws -> String {
        if let s = try? c.decode(String.self, forKey: AnyKey("id")) { return s }
        if let i = try? c.decode(Int64.self, forKey: AnyKey("id")) { return String(i) }
        throw DecodingError.keyNotFound(
            AnyKey("id"), .init(codingPath: c.codingPath, debugDescription: "a memory needs an id (string)"))
    }

    /// Metadata as an object; null, `"None"`, `"null"` and `""` read as nil; a string holding a
    /// JSON object is parsed. Anything else is an error rather than silently dropped.
    static func decodeMetadata(_ c: KeyedDecodingContainer<AnyKey>, key: String) throws -> [String: JSONValue]? {
        guard let raw = try c.decodeIfPresent(JSONValue.self, forKey: AnyKey(key)) else { return nil }
        switch raw {
        case .null: return nil
        case .object(let o): return o
        case .string(let s):
            if s == "None" || s == "null" || s.isEmpty { return nil }
            if let parsed = try? JSONValue.parse(s), let o = parsed.objectValue { return o }
            fallthrough
        default:
            throw DecodingError.typeMismatch(
                [String: JSONValue].self,
                .init(
                    codingPath: c.codingPath + [AnyKey(key)],
                    debugDescription: "\(key) must be an object or null, got \(raw.typeDescription)"))
        }
    }

    static func decodeCategories(_ c: KeyedDecodingContainer<AnyKey>) throws -> [String]? {
        guard let raw = try c.decodeIfPresent(JSONValue.self, forKey: AnyKey("categories")) else { return nil }
        switch raw {
        case .null: return nil
        case .string(let s) where s == "None" || s.isEmpty: return nil
        case .string(let s): return [s]
        case .array(let a):
            return try a.map { v in
                guard let s = v.stringValue else {
                    throw DecodingError.typeMismatch(
                        String.self,
                        .init(
                            codingPath: c.codingPath + [AnyKey("categories")],
                            debugDescription: "categories must be strings, got \(v.typeDescription)"))
                }
                return s
            }
        default:
            throw DecodingError.typeMismatch(
                [String].self,
                .init(
                    codingPath: c.codingPath + [AnyKey("categories")],
                    debugDescription: "categories must be a list or null, got \(raw.typeDescription)"))
        }
    }

    static func decodeBool(_ c: KeyedDecodingContainer<AnyKey>, key: String) throws -> Bool? {
        // A real boolean, the common case, without trying every JSON type first.
        if let b = try? c.decodeIfPresent(Bool.self, forKey: AnyKey(key)) { return b }
        guard let raw = try c.decodeIfPresent(JSONValue.self, forKey: AnyKey(key)) else { return nil }
        switch raw {
        case .null: return nil
        case .bool(let b): return b
        case .string(let s) where s == "True" || s == "true": return true
        case .string(let s) where s == "False" || s == "false": return false
        case .int(let i): return i != 0
        default:
            throw DecodingError.typeMismatch(
                Bool.self,
                .init(
                    codingPath: c.codingPath + [AnyKey(key)],
                    debugDescription: "\(key) must be a boolean, got \(raw.typeDescription)"))
        }
    }

    /// A date from ISO 8601 text or epoch seconds; null reads as nil.
    static func decodeDate(_ c: KeyedDecodingContainer<AnyKey>, key: String) throws -> Date? {
        guard let raw = try c.decodeIfPresent(JSONValue.self, forKey: AnyKey(key)) else { return nil }
        switch raw {
        case .null: return nil
        case .string(let s):
            if s == "None" || s.isEmpty { return nil }
            if let d = MemoryTimestamp.parse(s) { return d }
            // A time beyond any calendar, served as its seconds since 1970 (`MemoryTimestamp.format`).
            if let seconds = Double(s), seconds.isFinite { return Date(timeIntervalSince1970: seconds) }
        case .int, .double:
            if let d = raw.doubleValue { return Date(timeIntervalSince1970: d) }
        default:
            break
        }
        throw DecodingError.dataCorrupted(
            .init(
                codingPath: c.codingPath + [AnyKey(key)],
                debugDescription:
                    "\(key) is not an ISO 8601 timestamp: \(MemoryAPIError.truncate(raw.jsonString(), limit: 80))"
            ))
    }
}
