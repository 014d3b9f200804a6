import MemoryAPI

/// Reads the Python literal syntax httpx puts in query strings for dicts and lists
/// (`{'user_id': 'alice', 'n': 3, 'ok': True}`), and JSON too, into a `JSONValue`.
///
/// Accepts dicts, lists, tuples, single- or double-quoted strings with backslash escapes,
/// integers, floats, `True`, `False`, `None` (and JSON's `true`, `false`, `null`).
struct PythonLiteral {
    /// A literal that could not be read, with the byte offset of the problem.
    struct Failure: Error, Sendable {
        var offset: Int
        var reason: String
    }

    private let bytes: [UInt8]
    private var i = 0

    /// Parses a whole literal.
    static func parse(_ text: String) throws(Failure) -> JSONValue {
        var p = PythonLiteral(bytes: Array(text.utf8))
        let v = try p.value(depth: 0)
        p.skipSpace()
        if p.i != p.bytes.count { throw Failure(offset: p.i, reason: "unexpected text after the value") }
        return v
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x09 || bytes[i] == 0x0D { i += 1 }
    }

    private mutating func value(depth: Int) throws(Failure) -> JSONValue {
        guard depth < 64 else { throw Failure(offset: i, reason: "nested too deeply") }
        skipSpace()
        guard i < bytes.count else { throw Failure(offset: i, reason: "a value is missing") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var object: [String: JSONValue] = [:]
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
                i += 1
                return .object(object)
            }
            while true {
                skipSpace()
                guard case .string(let key) = try value(depth: depth + 1) else {
                    throw Failure(offset: i, reason: "a dict key must be a string")
                }
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
                    throw Failure(offset: i, reason: "':' expected")
                }
                i += 1
                object[key] = try value(depth: depth + 1)
                skipSpace()
                guard i < bytes.count else { throw Failure(offset: i, reason: "'}' expected") }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    skipSpace()
                    if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
                        i += 1
                        return .object(object)
                    }
                    continue
                }
                guard bytes[i] == UInt8(ascii: "}") else { throw Failure(offset: i, reason: "',' or '}' expected") }
                i += 1
                return .object(object)
            }
        case UInt8(ascii: "["), UInt8(ascii: "("):
            let close = bytes[i] == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: ")")
            i += 1
            var list: [JSONValue] = []
            while true {
                skipSpace()
                if i < bytes.count, bytes[i] == close {
                    i += 1
                    return .array(list)
                }
                list.append(try value(depth: depth + 1))
                skipSpace()
                guard i < bytes.count else {
                    throw Failure(offset: i, reason: "'\(Character(UnicodeScalar(close)))' expected")
                }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                } else if bytes[i] != close {
                    throw Failure(offset: i, reason: "',' expected")
                }
            }
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return .string(try string())
        default:
            return try scalar()
        }
    }

    private mutating func string() throws(Failure) -> String {
        let quote = bytes[i]
        let start = i
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
                case UInt8(ascii: "x"): try appendScalar(&out, hexDigits: 2)
                case UInt8(ascii: "u"): try appendScalar(&out, hexDigits: 4)
                case UInt8(ascii: "U"): try appendScalar(&out, hexDigits: 8)
                default: out.append(e)
                }
                continue
            }
            out.append(c)
            i += 1
        }
        throw Failure(offset: start, reason: "unterminated string")
    }

    private mutating func appendScalar(_ out: inout [UInt8], hexDigits n: Int) throws(Failure) {
        guard i + n <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + n)], as: UTF8.self), radix: 16),
            let scalar = Unicode.Scalar(v)
        else { throw Failure(offset: i, reason: "bad \\x, \\u or \\U escape") }
        i += n
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    private mutating func scalar() throws(Failure) -> JSONValue {
        let start = i
        while i < bytes.count, !",:]})} \n\t".utf8.contains(bytes[i]) { i += 1 }
        let word = String(decoding: bytes[start..<i], as: UTF8.self)
        switch word {
        case "True", "true": return .bool(true)
        case "False", "false": return .bool(false)
        case "None", "null": return .null
        default:
            if let n = Int64(word) { return .int(n) }
            if let d = Double(word), d.isFinite { return .double(d) }
            throw Failure(offset: start, reason: word.isEmpty ? "a value is missing" : "unknown literal '\(word)'")
        }
    }
}
