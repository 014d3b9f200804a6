import Foundation

/// A record, or part of one, that memport cannot import: the reason as a stable code, a human
/// message, where it is, the record itself (for the rejects file and a replay after a fix), and
/// the raw record cut to a readable length.
public struct ImportReject: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The reason, as a stable code (the summary counts rejects by it).
    public var reason: ReadingError.Code
    /// A human sentence saying why.
    public var message: String
    /// Where the record is.
    public var locator: RecordLocator
    /// The JSON path of the bad value inside the record, when one is to blame.
    public var path: String?
    /// The record as read, cut to `rawLimit` bytes, for summaries and messages.
    public var raw: String?
    /// The whole record as read, for the rejects file (the import reader fills it in).
    public var record: RejectedRecord?
    /// The preset that read the record, so a replay maps it the same way.
    public var preset: ImportPreset?
    /// The identity of the source the record came from (its absolute path, or `stdin`), part of
    /// the import keys of a replay.
    public var source: String?

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

    /// Fills in what the reader knows about the record a reject came from, keeping what is set.
    public func located(record: RejectedRecord?, preset: ImportPreset?, source: String?) -> ImportReject {
        var copy = self
        if copy.record == nil { copy.record = record }
        if copy.preset == nil { copy.preset = preset }
        if copy.source == nil { copy.source = source }
        if copy.raw == nil, case .bytes(let data) = record { copy.raw = Self.cut(data) }
        return copy
    }

    enum CodingKeys: String, CodingKey { case reason, message, locator, path, raw, preset }

    /// Decodes a reject as `rejects.ndjson` holds it.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        reason = ReadingError.Code(rawValue: try c.decode(String.self, forKey: .reason))
        message = try c.decode(String.self, forKey: .message)
        locator = try c.decode(RecordLocator.self, forKey: .locator)
        path = try c.decodeIfPresent(String.self, forKey: .path)
        raw = try c.decodeIfPresent(String.self, forKey: .raw)
        preset = try c.decodeIfPresent(String.self, forKey: .preset).flatMap(ImportPreset.init(rawValue:))
    }

    /// Encodes the reject with its reason spelled as a string.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(reason.rawValue, forKey: .reason)
        try c.encode(message, forKey: .message)
        try c.encode(locator, forKey: .locator)
        try c.encodeIfPresent(path, forKey: .path)
        try c.encodeIfPresent(raw, forKey: .raw)
        try c.encodeIfPresent(preset?.rawValue, forKey: .preset)
    }
}

/// The input a reject is about, as the reader held it.
public enum RejectedRecord: Sendable, Hashable {
    /// The bytes of one JSON record (an NDJSON line, an array element), valid JSON or not.
    case bytes(Data)
    /// One CSV data row.
    case row(CSVRow)
    /// Input that is not a JSON record (a CSV line that is not a row).
    case text(Data)
    /// A record that was never held in memory (over the size limit): where it is is in the
    /// locator, this is its length in bytes.
    case unread(length: Int64)

    /// The record's length in bytes, when known.
    public var length: Int64? {
        switch self {
        case .bytes(let data), .text(let data): return Int64(data.count)
        case .row: return nil
        case .unread(let length): return length
        }
    }

    /// What the reader held for a record.
    public init(_ record: SourceRecord) {
        switch record.body {
        case .json(let bytes): self = .bytes(Data(bytes))
        case .row(let row): self = .row(row)
        }
    }
}
