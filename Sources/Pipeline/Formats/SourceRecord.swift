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

/// One CSV data row: its fields and the column names they belong to.
public struct CSVRow: Sendable, Hashable {
    /// The column names.
    public var header: [String]
    /// The fields, one per column.
    public var fields: [String]

    /// Creates a row.
    public init(header: [String], fields: [String]) {
        self.header = header
        self.fields = fields
    }

    /// The field of a named column; `nil` when the column does not exist.
    public subscript(column: String) -> String? {
        guard let i = header.firstIndex(of: column), i < fields.count else { return nil }
        return fields[i]
    }
}

/// What a format yields: a record, or a reject for a piece of input that is not one.
public enum ReadItem: Sendable {
    /// A record to hand to the adapter.
    case record(SourceRecord)
    /// Input that could not become a record (too large, not UTF-8, a bad CSV row).
    case reject(ImportReject)
}

/// A streaming format: pulls bytes from a `ByteStream` and yields records one at a time, with a
/// buffer bounded by the record size limit.
public protocol RecordReader: AnyObject {
    /// The next record or reject, or `nil` at the end of the input.
    ///
    /// - Throws: `PipelineError` when the rest of the input cannot be read (a truncated gzip
    ///   stream, an unterminated array or quote); records yielded before stay valid.
    func next() throws -> ReadItem?
}
