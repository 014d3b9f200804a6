import Foundation

/// Parses JSON and the Python-literal forms the Mem0 SDK and documents produce: `None`, `True`,
/// `False`, single-quoted strings, tuples and trailing commas.
///
/// The SDK sends dict query values as their Python repr (`metadata={'a': 'b'}`, contract §1.4),
/// and the platform's documents show answers such as `{'message': 'ok'}`; both read as JSON values.
///
/// ```swift
/// try PythonLiteral.parse("{'user_id': 'alice', 'n': None}")  // ["user_id": "alice", "n": nil]
/// ```
public enum PythonLiteral {
    /// Parses one value that fills the whole text.
    ///
    /// - Throws: `MemoryAPIError` with code `.validation`, naming the byte offset and the reason.
    public static func parse(_ text: String) throws -> JSONValue {
        var p = LiteralParser(bytes: Array(text.utf8))
        let value = try p.value()
        p.skipSpace()
        if p.i != p.bytes.count { throw p.fail("unexpected text after the value") }
        return value
    }
}

struct LiteralParser {
    let bytes: [UInt8]
    var i = 0
    var depth = 0
    /// Deeper nesting is refused, so hostile input cannot exhaust the stack.
    static let maxDepth = 256

    func fail(_ reason: String) -> MemoryAPIError {
        MemoryAPIError(.validation, "byte \(i): \(reason)", path: "byte \(i)")
    }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    mutating func value() throws -> JSONValue {
        skipSpace()
        guard i < bytes.count else { throw fail("unexpected end of text") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try sequence(close: UInt8(ascii: "]"))
        case UInt8(ascii: "("): return try sequence(close: UInt8(ascii: ")"))
        case UInt8(ascii: "\""), UInt8(ascii: "'"): return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."):
            return try number()
        default:
            for (word, v) in [("None", JSONValue.null), ("null", .null), ("True", .bool(true)), ("true", .bool(true))]
                + [("False", JSONValue.bool(false)), ("false", .bool(false))]
            where matches(word) {
                i += word.utf8.count
                return v
            }
            throw fail("unexpected character '\(Character(Unicode.Scalar(bytes[i])))'")
        }
    }

    func matches(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { return false }
        if i + w.count < bytes.count {
            let next = bytes[i + w.count]
            if (next >= 0x41 && next <= 0x5A) || (next >= 0x61 && next <= 0x7A) || next == 0x5F { return false }
        }
        return true
    }

    mutating func enter() throws {
        depth += 1
        if depth > Self.maxDepth { throw fail("nested deeper than \(Self.maxDepth) levels") }
    }

    mutating func object() throws -> JSONValue {
        try enter()
        defer { depth -= 1 }
        i += 1
        var out: [String: JSONValue] = [:]
        while true {
            skipSpace()
            guard i < bytes.count else { throw fail("unterminated object") }
            if bytes[i] == UInt8(ascii: "}") {
                i += 1
                return .object(out)
            }
            guard bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else {
                throw fail("an object key must be a quoted string")
            }
            let key = try string()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':' after key '\(key)'") }
            i += 1
            out[key] = try value()
            skipSpace()
            guard i < bytes.count else { throw fail("unterminated object") }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
            } else if bytes[i] != UInt8(ascii: "}") {
                throw fail("expected ',' or '}' in object")
            }
        }
    }

    mutating func sequence(close: UInt8) throws -> JSONValue {
        try enter()
        defer { depth -= 1 }
        i += 1
        var out: [JSONValue] = []
        while true {
            skipSpace()
            guard i < bytes.count else { throw fail("unterminated list") }
            if bytes[i] == close {
                i += 1
                return .array(out)
            }
            out.append(try value())
            skipSpace()
            guard i < bytes.count else { throw fail("unterminated list") }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
            } else if bytes[i] != close {
                throw fail("expected ',' or '\(Character(Unicode.Scalar(close)))' in list")
            }
        }
    }

    mutating func string() throws -> String {
        let quote = bytes[i]
        i += 1
        var out: [UInt8] = []
        while i < bytes.count {
            let c = bytes[i]
            if c == quote {
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c == UInt8(ascii: "\\") {
                i += 1
                guard i < bytes.count else { break }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "0"): out.append(0x00)
                case UInt8(ascii: "u"), UInt8(ascii: "x"), UInt8(ascii: "U"):
                    let width = e == UInt8(ascii: "x") ? 2 : (e == UInt8(ascii: "u") ? 4 : 8)
                    guard i + width <= bytes.count,
                        let code = UInt32(String(decoding: bytes[i..<i + width], as: UTF8.self), radix: 16)
                    else { throw fail("bad \\\(Character(Unicode.Scalar(e))) escape") }
                    i += width
                    var scalarValue = code
                    // A JSON surrogate pair: \uD83D\uDE00.
                    if (0xD800...0xDBFF).contains(code), i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"),
                        bytes[i + 1] == UInt8(ascii: "u"),
                        let low = UInt32(String(decoding: bytes[i + 2..<i + 6], as: UTF8.self), radix: 16),
                        (0xDC00...0xDFFF).contains(low)
                    {
                        scalarValue = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                    out += Array(String(Character(Unicode.Scalar(scalarValue) ?? "\u{FFFD}")).utf8)
                default: out.append(e)
                }
                continue
            }
            out.append(c)
            i += 1
        }
        throw fail("unterminated string")
    }

    mutating func number() throws -> JSONValue {
        let start = i
        if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
        var isFloat = false
        while i < bytes.count {
            let c = bytes[i]
            if c >= 0x30 && c <= 0x39 || c == UInt8(ascii: "_") {
                i += 1
            } else if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
                || ((c == UInt8(ascii: "-") || c == UInt8(ascii: "+")) && (bytes[i - 1] | 0x20) == UInt8(ascii: "e"))
            {
                isFloat = true
                i += 1
            } else {
                break
            }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self).replacingOccurrences(of: "_", with: "")
        if !isFloat, let n = Int64(text) { return .int(n) }
        if let d = Double(text) { return .double(d) }
        i = start
        throw fail("bad number '\(text)'")
    }
}
