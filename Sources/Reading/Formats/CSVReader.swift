import Foundation

/// CSV per RFC 4180, read from byte chunks: quoted fields with embedded delimiters, doubled
/// quotes and newlines; CRLF or LF line ends; an optional UTF-8 BOM; a header row, or columns
/// declared by the caller.
///
/// A row with the wrong number of fields, invalid UTF-8, or more bytes than the record limit
/// is a reject naming its line and byte offset; the rows around it still import. A quote that
/// never closes is an error at the end of the input naming where it opened.
public final class CSVReader: RecordReader {
    private enum State {
        case fieldStart
        case unquoted
        case quoted
        case quoteInQuoted
    }

    private let stream: ByteStream
    private let maxRecordBytes: Int
    private let delimiter: UInt8
    private var header: [String]?
    private var buffer: [UInt8] = []
    private var pos = 0
    private var bufferOffset: Int64 = 0
    private var line = 1
    private var rowIndex = 0
    private var state = State.fieldStart
    private var field: [UInt8] = []
    private var fields: [[UInt8]] = []
    private var recordBytes = 0
    private var recordOffset: Int64 = 0
    private var recordLine = 1
    private var recordStarted = false
    private var quoteOffset: Int64 = 0
    private var quoteLine = 1
    private var oversized = false
    private var finished = false
    private var started = false

    /// Creates a reader; `columns` names the fields when the input has no header row.
    public init(stream: ByteStream, maxRecordBytes: Int, columns: [String]? = nil, delimiter: UInt8 = 0x2C) {
        self.stream = stream
        self.maxRecordBytes = maxRecordBytes
        self.header = columns
        self.delimiter = delimiter
    }

    /// The next data row, a reject for a bad row, or `nil` at the end.
    public func next() throws -> ReadItem? {
        while !finished {
            while pos < buffer.count {
                let b = buffer[pos]
                let here = pos
                pos += 1
                if !recordStarted {
                    recordStarted = true
                    recordOffset = bufferOffset + Int64(here)
                    recordLine = line
                    recordBytes = 0
                }
                recordBytes += 1
                if recordBytes > maxRecordBytes, !oversized {
                    oversized = true
                    field = []
                    fields = []
                }
                if b == 0x0A { line += 1 }
                switch state {
                case .fieldStart:
                    if b == 0x22 {
                        state = .quoted
                        quoteOffset = bufferOffset + Int64(here)
                        quoteLine = line
                    } else if b == delimiter {
                        endField()
                    } else if b == 0x0A {
                        if let item = try endRecord() { return item }
                    } else if b == 0x0D {
                        continue
                    } else {
                        append(b)
                        state = .unquoted
                    }
                case .unquoted:
                    if b == delimiter {
                        endField()
                        state = .fieldStart
                    } else if b == 0x0A {
                        if let item = try endRecord() { return item }
                    } else if b == 0x0D {
                        continue
                    } else {
                        append(b)
                    }
                case .quoted:
                    if b == 0x22 { state = .quoteInQuoted } else { append(b) }
                case .quoteInQuoted:
                    if b == 0x22 {
                        append(b)
                        state = .quoted
                    } else if b == delimiter {
                        endField()
                        state = .fieldStart
                    } else if b == 0x0A {
                        if let item = try endRecord() { return item }
                    } else if b == 0x0D {
                        continue
                    } else {
                        // A stray byte after a closing quote: keep it, as most readers do.
                        append(b)
                        state = .unquoted
                    }
                }
            }
            compact()
            guard let chunk = try stream.nextChunk() else {
                finished = true
                if state == .quoted {
                    throw ReadingError(
                        .unterminatedQuote,
                        "a quoted field opened on line \(quoteLine) at byte \(quoteOffset) never closes",
                        at: RecordLocator(
                            file: stream.source.name, line: quoteLine, element: rowIndex, offset: quoteOffset))
                }
                if recordStarted, recordBytes > 0 { return try endRecord() }
                if header == nil {
                    throw ReadingError(
                        .emptyInput, "the CSV file has no header row",
                        at: RecordLocator(file: stream.source.name, line: 1, offset: 0))
                }
                return nil
            }
            buffer.append(contentsOf: chunk)
            if !started {
                started = true
                if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { pos = 3 }
            }
        }
        return nil
    }

    private func append(_ b: UInt8) {
        if !oversized { field.append(b) }
    }

    private func endField() {
        if !oversized { fields.append(field) }
        field = []
    }

    private func endRecord() throws -> ReadItem? {
        endField()
        state = .fieldStart
        recordStarted = false
        let raw = fields
        fields = []
        let locator = RecordLocator(file: stream.source.name, line: recordLine, element: rowIndex, offset: recordOffset)
        if oversized {
            oversized = false
            rowIndex += 1
            return .reject(
                ImportReject(
                    reason: .recordTooLarge,
                    message: "the row is more than the record limit of \(maxRecordBytes) bytes", locator: locator))
        }
        if raw.count == 1, raw[0].isEmpty { return nil }
        var strings: [String] = []
        strings.reserveCapacity(raw.count)
        for (i, bytes) in raw.enumerated() {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                if header == nil {
                    throw ReadingError(.invalidUTF8, "the header row is not valid UTF-8", at: locator)
                }
                rowIndex += 1
                return .reject(
                    ImportReject(
                        reason: .invalidUTF8, message: "field \(i + 1) is not valid UTF-8", locator: locator,
                        raw: ImportReject.cut(Array(raw.joined(separator: [delimiter])))
                    ).located(record: .text(Data(raw.joined(separator: [delimiter]))), preset: nil, source: nil))
            }
            strings.append(text)
        }
        guard let header else {
            header = strings.map { $0.trimmingCharacters(in: .whitespaces) }
            return nil
        }
        rowIndex += 1
        guard strings.count == header.count else {
            return .reject(
                ImportReject(
                    reason: .wrongFieldCount,
                    message: "the row has \(strings.count) fields, the header \(header.count)", locator: locator,
                    raw: ImportReject.cut(Array(raw.joined(separator: [delimiter])))
                ).located(record: .text(Data(raw.joined(separator: [delimiter]))), preset: nil, source: nil))
        }
        return .record(SourceRecord(body: .row(CSVRow(header: header, fields: strings)), locator: locator))
    }

    private func compact() {
        guard pos > 0 else { return }
        buffer.removeSubrange(0..<pos)
        bufferOffset += Int64(pos)
        pos = 0
    }
}
