import Foundation

/// One record a format reads: the bytes of one JSON value, or one CSV row, and where it is.
public struct SourceRecord: Sendable {
    /// The record's content.
    public enum Body: Sendable {
        /// The bytes of one JSON value (an NDJSON line, an array element, an object). An array
        /// rather than `Data`: the tape parser reads it in place, without a copy.
        case json([UInt8])
        /// One CSV data row with its header.
        case row(CSVRow)
    }

    /// The content.
    public var body: Body
    /// Where the record is.
    public var locator: RecordLocator
    /// For an element streamed out of an envelope object (a Mem0 CLI `{status, command, scope,
    /// data}`, a migration artifact `{kind, source, records}`, an OpenMemory `memories.json`),
    /// the envelope's members that precede the streamed array, as one JSON object; `nil` otherwise.
    public var envelope: Data?

    /// Creates a record.
    public init(body: Body, locator: RecordLocator, envelope: Data? = nil) {
        self.body = body
        self.locator = locator
        self.envelope = envelope
    }

    /// The raw bytes, for rejects.
    public var rawBytes: [UInt8] {
        switch body {
        case .json(let bytes): return Array(bytes.prefix(ImportReject.rawLimit + 1))
        case .row(let row): return Array(row.fields.joined(separator: ",").utf8)
        }
    }
}
