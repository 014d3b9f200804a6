extension JSONValue {
    /// Compact JSON text with sorted keys, so equal values give equal text.
    ///
    /// The text is the same, byte for byte, as `JSONEncoder` with `.sortedKeys` and
    /// `.withoutEscapingSlashes` writes (import keys and job ids hash it, so it must not drift),
    /// but written directly, several times faster. A non-finite number, which JSON cannot hold,
    /// is written as `null`.
    public func jsonString() -> String {
        var out = ""
        write(into: &out)
        return out
    }

    /// Appends the value's compact JSON text (as ``jsonString()``) to `out`.
    public func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): Self.writeNumber(d, into: &out)
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            // JSONEncoder orders keys by their UTF-8 bytes, not by Swift's canonical String order.
            for (i, key) in fields.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if i > 0 { out += "," }
                Self.writeString(key, into: &out)
                out += ":"
                fields[key, default: .null].write(into: &out)
            }
            out += "}"
        }
    }

    /// Appends `text` as a quoted JSON string: `"` and `\` escaped, control characters as
    /// `\n`, `\r`, `\t`, `\b`, `\f` or `\u00XX`, everything else (`/` and non-ASCII included) as it is.
    public static func writeString(_ text: String, into out: inout String) {
        out += "\""
        let utf8 = text.utf8
        // Fast path: nothing to escape.
        if !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out += text
            out += "\""
            return
        }
        var pending = utf8.startIndex
        for i in utf8.indices {
            let byte = utf8[i]
            guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
            // Scalar views: a CR LF pair is one Character, so Character-based slicing would not split it.
            out.unicodeScalars.append(contentsOf: text.unicodeScalars[pending..<i])
            switch byte {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            default:
                out += "\\u00"
                out.unicodeScalars.append(Self.hexDigit(byte >> 4))
                out.unicodeScalars.append(Self.hexDigit(byte & 0xF))
            }
            pending = utf8.index(after: i)
        }
        out.unicodeScalars.append(contentsOf: text.unicodeScalars[pending...])
        out += "\""
    }

    private static func hexDigit(_ v: UInt8) -> Unicode.Scalar {
        Unicode.Scalar(v < 10 ? 0x30 + v : 0x61 + v - 10)
    }

    /// Appends a number as `JSONEncoder` writes it: the shortest text that reads back the same,
    /// without a trailing `.0`.
    static func writeNumber(_ d: Double, into out: inout String) {
        guard d.isFinite else {
            out += "null"
            return
        }
        var text = d.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        out += text
    }
}
