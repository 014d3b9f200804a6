/// The body of `PUT /v1/memories/{id}/`: new text, metadata, timestamp or expiration date.
///
/// Decoding accepts the text as `text` (all SDKs), `message` or `data` (old doc examples).
public struct UpdateRequest: Sendable, Hashable {
    /// A change to the expiration date: a new date, or clearing it (`null` on the wire).
    public enum ExpirationChange: Sendable, Hashable {
        /// Set a new `YYYY-MM-DD`.
        case set(String)
        /// Remove the date.
        case clear
    }

    /// The new text.
    public var text: String?
    /// The new metadata (replaces the old object).
    public var metadata: [String: JSONValue]?
    /// A new creation time: Unix seconds or ISO 8601 text (1.x+).
    public var timestamp: JSONValue?
    /// A change to the expiration date; nil leaves it alone.
    public var expirationDate: ExpirationChange?

    /// Creates an update body.
    public init(
        text: String? = nil, metadata: [String: JSONValue]? = nil, timestamp: JSONValue? = nil,
        expirationDate: ExpirationChange? = nil
    ) {
        self.text = text
        self.metadata = metadata
        self.timestamp = timestamp
        self.expirationDate = expirationDate
    }

    /// `true` when the body changes nothing.
    public var isEmpty: Bool { text == nil && metadata == nil && timestamp == nil && expirationDate == nil }
}

extension UpdateRequest: Codable {
    enum CodingKeys: String, CodingKey {
        case text, message, data, metadata, timestamp
        case expirationDate = "expiration_date"
    }

    /// Decodes an update body as any SDK version sends it.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        text =
            try c.decodeIfPresent(String.self, forKey: .text) ?? c.decodeIfPresent(String.self, forKey: .message)
            ?? c.decodeIfPresent(String.self, forKey: .data)
        if let raw = try c.decodeIfPresent(JSONValue.self, forKey: .metadata), !raw.isNull {
            guard let o = raw.objectValue else {
                throw DecodingError.typeMismatch(
                    [String: JSONValue].self,
                    .init(
                        codingPath: c.codingPath + [CodingKeys.metadata],
                        debugDescription: "metadata must be an object, got \(raw.typeDescription)"))
            }
            metadata = o
        }
        if let raw = try c.decodeIfPresent(JSONValue.self, forKey: .timestamp), !raw.isNull {
            timestamp = raw
        }
        if c.contains(.expirationDate) {
            if try c.decodeNil(forKey: .expirationDate) {
                expirationDate = .clear
            } else {
                expirationDate = .set(try c.decode(String.self, forKey: .expirationDate))
            }
        }
    }

    /// Encodes the fields that are set; clearing the expiration date writes an explicit null.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(text, forKey: .text)
        try c.encodeIfPresent(metadata, forKey: .metadata)
        try c.encodeIfPresent(timestamp, forKey: .timestamp)
        switch expirationDate {
        case .none: break
        case .clear: try c.encodeNil(forKey: .expirationDate)
        case .set(let d): try c.encode(d, forKey: .expirationDate)
        }
    }
}
