import Foundation
import MemoryAPI

/// One JSON record parsed into a flat tape: every value's kind and byte range, with a skip
/// index past each container, so adapters read the few fields they need without building a
/// tree or a dictionary per object.
///
/// The parser validates the whole record (RFC 8259 syntax, UTF-8, nesting depth), so a bad
/// record is rejected with the byte offset of the fault. It is about five times faster than
/// `JSONDecoder` on chat exports, where most objects carry many keys an adapter never reads.
///
/// ```swift
/// let tape = try JSONTape(parsing: bytes)
/// let title = tape.root["title"]?.string
/// ```
public final class JSONTape: Sendable {
    /// The kind of a value.
    public enum Kind: UInt8, Sendable {
        /// `{...}`.
        case object
        /// `[...]`.
        case array
        /// `"..."`.
        case string
        /// A number.
        case number
        /// `true` or `false`.
        case bool
        /// `null`.
        case null
    }

    struct Entry: Sendable {
        var kind: Kind
        /// A string with backslash escapes, which must be decoded to be read.
        var escaped: Bool
        /// Strings: the first byte after the opening quote; others: the first byte.
        var start: Int
        /// Strings: the closing quote; others: one past the last byte.
        var end: Int
        /// The index of the entry after this value and all its descendants.
        var next: Int
    }

    /// A syntax error at a byte offset of the record, inside the parser.
    struct SyntaxError: Error, Sendable {
        var offset: Int
        var message: String
        var isUTF8: Bool
    }

    /// The record's bytes: an array, not `Data`, because every read of `Data`'s storage (a class)
    /// goes through a dynamic exclusivity check.
    let bytes: [UInt8]
    let entries: [Entry]

    /// The deepest nesting accepted.
    static let maxDepth = 512

    /// Parses and validates one JSON value.
    ///
    /// - Throws: `ReadingError` `.invalidJSON` or `.invalidUTF8`; its locator's `offset` is the
    ///   byte offset of the fault within the record (the caller knows the file).
    public convenience init(parsing data: Data) throws(ReadingError) {
        let bytes = [UInt8](unsafeUninitializedCapacity: data.count) { buffer, count in
            count = data.copyBytes(to: buffer)
        }
        try self.init(parsing: bytes)
    }

    /// Parses and validates one JSON value held in an array, which the tape keeps (no copy).
    ///
    /// - Throws: `ReadingError` `.invalidJSON` or `.invalidUTF8`; its locator's `offset` is the
    ///   byte offset of the fault within the record (the caller knows the file).
    public convenience init(parsing bytes: [UInt8]) throws(ReadingError) {
        try self.init(parsing: bytes, reusing: [])
    }

    /// Parses into `storage`'s buffer when no other array holds it (`Spare` hands in the array of
    /// a tape that is gone), keeping its capacity.
    init(parsing bytes: [UInt8], reusing storage: [Entry]) throws(ReadingError) {
        let parsed = bytes.withUnsafeBufferPointer { p in
            Result { () throws(SyntaxError) -> (entries: [Entry], nonASCII: Bool) in
                try Self.parse(p, into: storage)
            }
        }
        let fault: SyntaxError
        switch parsed {
        case .failure(let error):
            if String(validating: bytes, as: UTF8.self) == nil {
                fault = SyntaxError(offset: Self.firstInvalidUTF8(bytes), message: "not valid UTF-8", isUTF8: true)
            } else {
                fault = error
            }
        case .success(let result):
            if result.nonASCII, String(validating: bytes, as: UTF8.self) == nil {
                fault = SyntaxError(offset: Self.firstInvalidUTF8(bytes), message: "not valid UTF-8", isUTF8: true)
            } else {
                self.bytes = bytes
                entries = result.entries
                return
            }
        }
        throw ReadingError(
            fault.isUTF8 ? .invalidUTF8 : .invalidJSON, fault.message,
            at: RecordLocator(file: "", offset: Int64(fault.offset)))
    }

    private static func parse(_ p: UnsafeBufferPointer<UInt8>, into storage: [Entry]) throws(SyntaxError) -> (
        entries: [Entry], nonASCII: Bool
    ) {
        var parser = Parser(p: p, entries: storage)
        parser.entries.removeAll(keepingCapacity: true)
        parser.entries.reserveCapacity(max(16, p.count / 12))
        parser.skipSpace()
        try parser.value(depth: 0)
        parser.skipSpace()
        if parser.i != p.count { throw parser.fail("unexpected data after the value") }
        return (parser.entries, parser.nonASCII)
    }

    /// The top-level value.
    public var root: JSONNode { JSONNode(tape: self, index: 0) }

    /// Calls `body` with the record's bytes.
    @inline(__always) func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        bytes.withUnsafeBufferPointer(body)
    }

    /// The index of the first byte that does not start a well-formed UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        RecordDecoding.firstInvalidUTF8(bytes)
    }

    private struct Parser {
        let p: UnsafeBufferPointer<UInt8>
        var entries: [Entry]
        var nonASCII = false
        var i = 0

        init(p: UnsafeBufferPointer<UInt8>, entries: [Entry]) {
            self.p = p
            self.entries = entries
        }

        func fail(_ message: String) -> SyntaxError {
            SyntaxError(offset: i, message: message + " at record byte \(i)", isUTF8: false)
        }

        mutating func skipSpace() {
            while i < p.count {
                let b = p[i]
                guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
                i += 1
            }
        }

        mutating func value(depth: Int) throws(SyntaxError) {
            guard i < p.count else { throw fail("unexpected end of the record") }
            switch p[i] {
            case 0x7B: try object(depth: depth)
            case 0x5B: try array(depth: depth)
            case 0x22: try string()
            case 0x74: try literal("true", .bool)
            case 0x66: try literal("false", .bool)
            case 0x6E: try literal("null", .null)
            case 0x2D, 0x30...0x39: try number()
            default: throw fail("unexpected character '\(Unicode.Scalar(p[i]))'")
            }
        }

        mutating func object(depth: Int) throws(SyntaxError) {
            guard depth < JSONTape.maxDepth else { throw fail("nesting deeper than \(JSONTape.maxDepth)") }
            let index = entries.count
            entries.append(Entry(kind: .object, escaped: false, start: i, end: 0, next: 0))
            i += 1
            skipSpace()
            if i < p.count, p[i] == 0x7D {
                i += 1
            } else {
                while true {
                    skipSpace()
                    guard i < p.count, p[i] == 0x22 else { throw fail("expected a key string") }
                    try string()
                    skipSpace()
                    guard i < p.count, p[i] == 0x3A else { throw fail("expected ':'") }
                    i += 1
                    skipSpace()
                    try value(depth: depth + 1)
                    skipSpace()
                    guard i < p.count else { throw fail("unexpected end of the record inside an object") }
                    if p[i] == 0x2C {
                        i += 1
                        continue
                    }
                    if p[i] == 0x7D {
                        i += 1
                        break
                    }
                    throw fail("expected ',' or '}'")
                }
            }
            entries[index].end = i
            entries[index].next = entries.count
        }

        mutating func array(depth: Int) throws(SyntaxError) {
            guard depth < JSONTape.maxDepth else { throw fail("nesting deeper than \(JSONTape.maxDepth)") }
            let index = entries.count
            entries.append(Entry(kind: .array, escaped: false, start: i, end: 0, next: 0))
            i += 1
            skipSpace()
            if i < p.count, p[i] == 0x5D {
                i += 1
            } else {
                while true {
                    skipSpace()
                    try value(depth: depth + 1)
                    skipSpace()
                    guard i < p.count else { throw fail("unexpected end of the record inside an array") }
                    if p[i] == 0x2C {
                        i += 1
                        continue
                    }
                    if p[i] == 0x5D {
                        i += 1
                        break
                    }
                    throw fail("expected ',' or ']'")
                }
            }
            entries[index].end = i
            entries[index].next = entries.count
        }

        mutating func string() throws(SyntaxError) {
            i += 1
            let start = i
            var escaped = false
            while true {
                skipPlainASCII()
                guard i < p.count else { break }
                let b = p[i]
                if b == 0x22 {
                    entries.append(
                        Entry(kind: .string, escaped: escaped, start: start, end: i, next: entries.count + 1))
                    i += 1
                    return
                }
                if b == 0x5C {
                    escaped = true
                    i += 1
                    guard i < p.count else { break }
                    switch p[i] {
                    case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: i += 1
                    case 0x75:
                        guard i + 4 < p.count else { throw fail("a \\u escape needs four hex digits") }
                        for k in 1...4 where !Self.isHex(p[i + k]) {
                            throw fail("a \\u escape needs four hex digits")
                        }
                        i += 5
                    default: throw fail("invalid escape '\\\(Unicode.Scalar(p[i]))'")
                    }
                    continue
                }
                if b < 0x20 { throw fail("a control character inside a string") }
                if b >= 0x80 { nonASCII = true }
                i += 1
            }
            throw fail("unterminated string")
        }

        /// Skips eight bytes at a time while none is a quote, a backslash, a control character or
        /// non-ASCII (the word tests may stop early, never late).
        mutating func skipPlainASCII() {
            guard let base = p.baseAddress else { return }
            let high: UInt64 = 0x8080_8080_8080_8080
            let ones: UInt64 = 0x0101_0101_0101_0101
            while i + 8 <= p.count {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                let quote = w ^ 0x2222_2222_2222_2222
                let slash = w ^ 0x5C5C_5C5C_5C5C_5C5C
                let control = (w &- 0x2020_2020_2020_2020) & ~w
                let hits =
                    (w & high) | (control & high) | ((quote &- ones) & ~quote & high)
                    | ((slash &- ones) & ~slash & high)
                if hits != 0 { return }
                i += 8
            }
        }

        mutating func literal(_ word: StaticString, _ kind: Kind) throws(SyntaxError) {
            let count = word.utf8CodeUnitCount
            guard i + count <= p.count else { throw fail("unexpected end of the record") }
            let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
            for k in 0..<count where p[i + k] != expected[k] { throw fail("invalid literal") }
            entries.append(Entry(kind: kind, escaped: false, start: i, end: i + count, next: entries.count + 1))
            i += count
        }

        mutating func number() throws(SyntaxError) {
            let start = i
            if p[i] == 0x2D { i += 1 }
            guard i < p.count, Self.isDigit(p[i]) else { throw fail("invalid number") }
            if p[i] == 0x30 {
                i += 1
            } else {
                while i < p.count, Self.isDigit(p[i]) { i += 1 }
            }
            if i < p.count, p[i] == 0x2E {
                i += 1
                guard i < p.count, Self.isDigit(p[i]) else { throw fail("invalid number") }
                while i < p.count, Self.isDigit(p[i]) { i += 1 }
            }
            if i < p.count, p[i] == 0x65 || p[i] == 0x45 {
                i += 1
                if i < p.count, p[i] == 0x2B || p[i] == 0x2D { i += 1 }
                guard i < p.count, Self.isDigit(p[i]) else { throw fail("invalid number") }
                while i < p.count, Self.isDigit(p[i]) { i += 1 }
            }
            entries.append(Entry(kind: .number, escaped: false, start: start, end: i, next: entries.count + 1))
        }

        static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

        static func isHex(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
        }
    }
}
