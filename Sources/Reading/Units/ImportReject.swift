/// A record, or part of one, that memport cannot import: the reason as a stable code, a human
/// message, where it is, and the raw record cut to a readable length.
public struct ImportReject: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The reason, as a stable code (the summary counts rejects by it).
    public var reason: ReadingError.Code
    /// A human sentence saying why.
    public var message: String
    /// Where the record is.
    public var locator: RecordLocator
    /// The JSON path of the bad value inside the record, when one is to blame.
    public var path: String?
    /// The record as read, cut to `rawLimit` bytes.
    public var raw: String?

    /// How many bytes of the raw record a reject keeps.
    public static let rawLimit = 2048

    /// Creates a reject.
    public init(
        reason: ReadingError.Code, message: String, locator: RecordLocator, path: String? = nil,
        raw: String? = nil
    ) {
        self.reason = reason
        self.message = message
        self.locator = locator
        self.path = path
        self.raw = raw
    }

    /// A reject from an error, at the error's locator or `fallback`.
    public init(_ error: ReadingError, at fallback: RecordLocator, raw: [UInt8]? = nil) {
        self.init(
            reason: error.code, message: error.message, locator: error.locator ?? fallback, path: error.path,
            raw: raw.map(Self.cut))
    }

    /// The first `rawLimit` bytes of a record as text (invalid UTF-8 shows as U+FFFD).
    public static func cut(_ bytes: some Collection<UInt8>) -> String {
        if bytes.count <= rawLimit { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: bytes.prefix(rawLimit), as: UTF8.self) + "…"
    }

    /// `file line 3, byte 120: invalid_json: ...`.
    public var description: String {
        var text = "\(locator): \(reason): \(message)"
        if let path { text += " (at \(path))" }
        return text
    }

    enum CodingKeys: String, CodingKey { case reason, message, locator, path, raw }

    /// Decodes a reject as `rejects.ndjson` holds it.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        reason = ReadingError.Code(rawValue: try c.decode(String.self, forKey: .reason))
        message = try c.decode(String.self, forKey: .message)
        locator = try c.decode(RecordLocator.self, forKey: .locator)
        path = try c.decodeIfPresent(String.self, forKey: .path)
        raw = try c.decodeIfPresent(String.self, forKey: .raw)
    }

    /// Encodes the reject with its reason spelled as a string.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(reason.rawValue, forKey: .reason)
        try c.encode(message, forKey: .message)
        try c.encode(locator, forKey: .locator)
        try c.encodeIfPresent(path, forKey: .path)
        try c.encodeIfPresent(raw, forKey: .raw)
    }
}
