import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// NDJSON / JSONL: one JSON value per line. Blank lines are skipped; a line longer than the
/// record limit is skipped without being buffered and becomes a `record_too_large` reject.
///
/// Lines are not parsed here: the adapter decodes each one, so a bad line is a reject of its own
/// and the lines around it still import.
public final class NDJSONReader: RecordReader {
    private let stream: ByteStream
    private let maxRecordBytes: Int
    private var buffer: [UInt8] = []
    private var pos = 0
    private var scanFrom = 0
    private var bufferOffset: Int64 = 0
    private var line = 0
    private var index = 0
    private var finished = false
    private var started = false
    private var skipping: RecordLocator?

    /// Creates a reader over a byte stream.
    public init(stream: ByteStream, maxRecordBytes: Int) {
        self.stream = stream
        self.maxRecordBytes = maxRecordBytes
    }

    /// The next line's record, a reject for an oversized line, or `nil` at the end.
    public func next() throws -> ReadItem? {
        while !finished {
            if let newline = findNewline() {
                let start = pos
                pos = newline + 1
                scanFrom = pos
                line += 1
                if let skipped = skipping {
                    skipping = nil
                    return .reject(tooLarge(skipped, length: bufferOffset + Int64(newline) - skipped.offset))
                }
                if let item = makeItem(start: start, end: newline) { return item }
                continue
            }
            scanFrom = buffer.count
            if skipping == nil, buffer.count - pos > maxRecordBytes {
                skipping = locator(start: pos, line: line + 1)
            }
            if skipping != nil { pos = buffer.count }
            compact()
            guard try stream.appendNextChunk(to: &buffer) != nil else {
                finished = true
                if let skipped = skipping {
                    skipping = nil
                    return .reject(tooLarge(skipped, length: bufferOffset + Int64(buffer.count) - skipped.offset))
                }
                if pos < buffer.count {
                    line += 1
                    let start = pos
                    pos = buffer.count
                    return makeItem(start: start, end: buffer.count)
                }
                return nil
            }
            if !started {
                started = true
                if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
                    pos = 3
                    scanFrom = 3
                }
            }
        }
        return nil
    }

    private func makeItem(start: Int, end: Int) -> ReadItem? {
        var last = end
        if last > start, buffer[last - 1] == 0x0D { last -= 1 }
        var first = start
        while first < last, Self.isSpace(buffer[first]) { first += 1 }
        if first == last { return nil }
        let here = locator(start: start, line: line)
        if last - start > maxRecordBytes {
            return .reject(tooLarge(here, length: Int64(last - start)))
        }
        index += 1
        return .record(SourceRecord(body: .json(Array(buffer[first..<last])), locator: here))
    }

    private func locator(start: Int, line: Int) -> RecordLocator {
        RecordLocator(
            file: stream.source.name, line: line, offset: bufferOffset + Int64(start),
            compressedOffset: stream.isGzip ? stream.compressedOffset : nil)
    }

    private func tooLarge(_ at: RecordLocator, length: Int64) -> ImportReject {
        ImportReject(
            reason: .recordTooLarge,
            message: "the line is \(length) bytes, more than the record limit of \(maxRecordBytes) bytes",
            locator: at
        ).located(record: .unread(length: length), preset: nil, source: nil)
    }

    private func findNewline() -> Int? {
        let from = scanFrom
        let count = buffer.count
        guard from < count else { return nil }
        return buffer.withUnsafeBufferPointer { p -> Int? in
            guard let base = p.baseAddress, let hit = memchr(base + from, 0x0A, count - from) else { return nil }
            return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
        }
    }

    private func compact() {
        guard pos > 0 else { return }
        buffer.removeSubrange(0..<pos)
        bufferOffset += Int64(pos)
        scanFrom -= pos
        pos = 0
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
}
