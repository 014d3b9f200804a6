import Foundation

/// JSON: a top-level array split element by element, a single object (or several concatenated),
/// or an envelope object whose array is streamed: a Mem0 page `{count, next, previous, results}`,
/// a Mem0 CLI envelope `{status, command, scope, count, data}`, the official migration's artifact
/// and review file `{kind, source, records}`, an OpenMemory `memories.json` `{user, apps,
/// categories, memories}`. The members before the array travel with each element
/// (`SourceRecord.envelope`); see ``EnvelopeRule``.
///
/// A byte-level splitter tracks strings, escapes and nesting depth to find where each element
/// starts and ends, so the file is never loaded whole: a 1 GB array on one line runs in the
/// memory of its largest element. An element larger than the record limit is skipped without
/// being buffered and becomes a `record_too_large` reject. Elements are not validated here: the
/// adapter decodes each one, so a bad element is a reject and the next one still imports.
public final class JSONStreamReader: RecordReader {
    private enum Mode {
        case start
        case array
        case object
        case envelope
        case finished
    }

    private let stream: ByteStream
    private let maxRecordBytes: Int
    private var buffer: [UInt8] = []
    private var pos = 0
    private var bufferOffset: Int64 = 0
    private var line = 1
    private var mode = Mode.start
    private var depth = 0
    private var elementDepth = Int.max
    private var inString = false
    private var escaped = false
    private var recordOpen = false
    private var recordScalar = false
    private var recordStart = 0
    private var recordLocator = RecordLocator(file: "")
    private var skipping = false
    private var elementIndex = 0
    private var keyExpected = false
    private var keyStart: Int?
    private var lastKeyIsResults = false
    private var awaitingResults = false
    /// The buffer index of the opening quote of the last candidate envelope key.
    private var candidateKeyQuote: Int?
    private var candidateKey = ""
    private var envelopeHead: Data?
    private var sawValue = false
    private var started = false

    /// Creates a reader over a byte stream.
    public init(stream: ByteStream, maxRecordBytes: Int) {
        self.stream = stream
        self.maxRecordBytes = maxRecordBytes
    }

    /// `true` once the top-level value turned out to be a Mem0 page envelope.
    public private(set) var isEnvelope = false

    /// The next element's record, a reject for an oversized element, or `nil` at the end.
    public func next() throws -> ReadItem? {
        while true {
            if pos >= buffer.count {
                if recordOpen, !skipping, buffer.count - recordStart > maxRecordBytes {
                    skipping = true
                }
                compact()
                guard let chunk = try stream.nextChunk() else { return try endOfInput() }
                buffer.append(contentsOf: chunk)
                if !started {
                    started = true
                    if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { pos = 3 }
                }
                continue
            }
            if let item = try scan() { return item }
        }
    }

    private func scan() throws -> ReadItem? {
        var i = pos
        let count = buffer.count
        var depth = self.depth
        var inString = self.inString
        var escaped = self.escaped
        var line = self.line
        var result: ReadItem?
        var failure: ReadingError?
        buffer.withUnsafeBufferPointer { p in
            loop: while i < count {
                let b = p[i]
                if inString {
                    if escaped {
                        escaped = false
                    } else if b == 0x5C {
                        escaped = true
                    } else if b == 0x22 {
                        inString = false
                        if let k = keyStart {
                            if let name = EnvelopeRule.candidate(UnsafeBufferPointer(rebasing: p[k..<i])) {
                                lastKeyIsResults = true
                                candidateKey = name
                                candidateKeyQuote = k - 1
                            } else {
                                lastKeyIsResults = false
                            }
                            keyStart = nil
                        }
                    } else if b == 0x0A {
                        line += 1
                    }
                    i += 1
                    if inString, !escaped {
                        // Ordinary string bytes need no state: skip them in a tight loop.
                        while i < count {
                            let c = p[i]
                            if c == 0x22 || c == 0x5C || c == 0x0A { break }
                            i += 1
                        }
                    }
                    continue
                }
                switch b {
                case 0x20, 0x09, 0x0D, 0x0A:
                    if b == 0x0A { line += 1 }
                    if recordOpen, recordScalar, depth == elementDepth {
                        result = finishRecord(end: i)
                        i += 1
                        break loop
                    }
                case 0x22:
                    if mode == .finished {
                        failure = trailing(at: i, line: line)
                        break loop
                    }
                    if mode == .start {
                        failure = topLevelScalar(at: i, line: line)
                        break loop
                    }
                    awaitingResults = false
                    if depth == elementDepth, !recordOpen { openRecord(at: i, line: line, scalar: true) }
                    if mode == .object, depth == 1, keyExpected {
                        keyStart = i + 1
                        keyExpected = false
                    }
                    inString = true
                case 0x7B, 0x5B:  // { [
                    if mode == .finished {
                        failure = trailing(at: i, line: line)
                        break loop
                    }
                    if mode == .start {
                        mode = b == 0x5B ? .array : .object
                        elementDepth = b == 0x5B ? 1 : 0
                        sawValue = true
                    }
                    if mode == .object, depth == 1, awaitingResults, b == 0x5B,
                        let head = envelopeHeadIfAccepted(buffer: p)
                    {
                        envelopeHead = head
                        mode = .envelope
                        isEnvelope = true
                        recordOpen = false
                        skipping = false
                        elementDepth = 2
                        elementIndex = 0
                    }
                    awaitingResults = false
                    if depth == elementDepth, !recordOpen { openRecord(at: i, line: line, scalar: false) }
                    depth += 1
                    if mode == .object, depth == 1 { keyExpected = true }
                case 0x7D, 0x5D:  // } ]
                    if recordOpen, recordScalar, depth == elementDepth {
                        result = finishRecord(end: i)
                        break loop
                    }
                    depth -= 1
                    if depth < 0 {
                        failure = ReadingError(
                            .invalidJSON, "a closing bracket has no opening one",
                            at: place(offset: i, line: line))
                        break loop
                    }
                    if mode == .envelope, depth == 1, elementDepth == 2 { elementDepth = Int.max - 1 }
                    if recordOpen, depth == elementDepth {
                        result = finishRecord(end: i + 1)
                        i += 1
                        if depth == 0, mode != .object { mode = .finished }
                        break loop
                    }
                    if depth == 0, mode != .object { mode = .finished }
                case 0x2C:  // ,
                    if recordOpen, recordScalar, depth == elementDepth {
                        result = finishRecord(end: i)
                        i += 1
                        break loop
                    }
                    if mode == .object, depth == 1 {
                        keyExpected = true
                        awaitingResults = false
                    }
                case 0x3A:  // :
                    if mode == .object, depth == 1, lastKeyIsResults {
                        awaitingResults = true
                        lastKeyIsResults = false
                    }
                default:
                    if mode == .finished {
                        failure = trailing(at: i, line: line)
                        break loop
                    }
                    if mode == .start {
                        failure = topLevelScalar(at: i, line: line)
                        break loop
                    }
                    awaitingResults = false
                    if depth == elementDepth, !recordOpen { openRecord(at: i, line: line, scalar: true) }
                }
                i += 1
            }
        }
        pos = i
        self.depth = depth
        self.inString = inString
        self.escaped = escaped
        self.line = line
        if let failure {
            mode = .finished
            pos = buffer.count
            throw failure
        }
        return result
    }

    private func openRecord(at i: Int, line: Int, scalar: Bool) {
        recordOpen = true
        recordScalar = scalar
        recordStart = i
        skipping = false
        recordLocator = place(offset: i, line: line)
        recordLocator.element = elementIndex
    }

    private func finishRecord(end: Int) -> ReadItem {
        recordOpen = false
        elementIndex += 1
        if !skipping, end - recordStart > maxRecordBytes { skipping = true }
        if skipping {
            skipping = false
            let length = bufferOffset + Int64(end) - recordLocator.offset
            return .reject(
                ImportReject(
                    reason: .recordTooLarge,
                    message: "the element is \(length) bytes, more than the record limit of \(maxRecordBytes) bytes",
                    locator: recordLocator
                ).located(record: .unread(length: length), preset: nil, source: nil))
        }
        var located = recordLocator
        if stream.isGzip { located.compressedOffset = stream.compressedOffset }
        return .record(
            SourceRecord(body: .json(Array(buffer[recordStart..<end])), locator: located, envelope: envelopeHead))
    }

    private func endOfInput() throws -> ReadItem? {
        if recordOpen, recordScalar, depth == elementDepth, !inString {
            return finishRecord(end: buffer.count)
        }
        if !sawValue, mode == .start {
            throw ReadingError(.emptyInput, "the file holds no JSON value", at: place(offset: pos, line: line))
        }
        if depth > 0 || inString {
            let opened =
                recordOpen ? " (element \(recordLocator.element ?? 0) opened at byte \(recordLocator.offset))" : ""
            mode = .finished
            throw ReadingError(
                .unterminatedJSON,
                "the input ends inside \(inString ? "a string" : "an unclosed array or object")\(opened)",
                at: place(offset: pos, line: line))
        }
        return nil
    }

    private func place(offset i: Int, line: Int) -> RecordLocator {
        RecordLocator(
            file: stream.source.name, line: line, offset: bufferOffset + Int64(i),
            compressedOffset: stream.isGzip ? stream.compressedOffset : nil)
    }

    private func trailing(at i: Int, line: Int) -> ReadingError {
        ReadingError(.trailingData, "unexpected data after the top-level value", at: place(offset: i, line: line))
    }

    private func topLevelScalar(at i: Int, line: Int) -> ReadingError {
        ReadingError(
            .topLevelScalar, "the top-level JSON value is a scalar; expected an array or an object",
            at: place(offset: i, line: line))
    }

    /// The members before the candidate key as one JSON object, when the rule accepts the envelope.
    private func envelopeHeadIfAccepted(buffer p: UnsafeBufferPointer<UInt8>) -> Data? {
        guard recordOpen, !skipping, let quote = candidateKeyQuote, quote > recordStart, quote <= p.count else {
            return nil
        }
        var end = quote
        while end > recordStart + 1, NDJSONReader.isSpace(p[end - 1]) || p[end - 1] == 0x2C { end -= 1 }
        var head = Data(p[recordStart..<end])
        head.append(0x7D)
        return EnvelopeRule.accepts(key: candidateKey, head: head) ? head : nil
    }

    /// Drops consumed bytes, keeping the open record (unless it is being skipped) and a key.
    private func compact() {
        var keep = pos
        if recordOpen, !skipping { keep = min(keep, recordStart) }
        if let k = keyStart { keep = min(keep, k) }
        guard keep > 0 else { return }
        buffer.removeSubrange(0..<keep)
        bufferOffset += Int64(keep)
        pos -= keep
        if recordOpen, !skipping { recordStart -= keep }
        if let k = keyStart { keyStart = k - keep }
        if let q = candidateKeyQuote { candidateKeyQuote = q >= keep ? q - keep : nil }
    }
}
