import Foundation

/// One record a format reads: the bytes of one JSON value, or one CSV row, and where it is.
public struct SourceRecord: Sendable {
    /// The record's content.
    public enum Body: Sendable {
        /// The bytes of one JSON value (an NDJSON line, an array element, an object).
        case json(Data)
        /// One CSV data row with its header.
        case row(CSVRow)
    }

    /// The content.
    public var body: Body
    /// Where the record is.
    public var locator: RecordLocator

    /// Creates a record.
    public init(body: Body, locator: RecordLocator) {
        self.body = body
        self.locator = locator
    }

    /// The raw bytes, for rejects.
    public var rawBytes: [UInt8] {
        switch body {
        case .json(let data): return Array(data.prefix(ImportReject.rawLimit + 1))
        case .row(let row): return Array(row.fields.joined(separator: ",").utf8)
        }
    }
}
