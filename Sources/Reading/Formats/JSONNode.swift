import Foundation
import MemoryAPI

/// One value of a `JSONTape`: read its kind, its scalar, or look up a member or element.
///
/// Member lookup scans the object's keys in order, which beats hashing for the handful of keys
/// an adapter reads.
public struct JSONNode: Sendable {
    let tape: JSONTape
    let index: Int

    private var entry: JSONTape.Entry { tape.entries[index] }

    /// The value's kind.
    public var kind: JSONTape.Kind { entry.kind }

    /// `true` for `null`.
    public var isNull: Bool { kind == .null }

    /// A short name of the value's JSON type, for error messages.
    public var typeDescription: String {
        switch kind {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The member named `key` of an object; `nil` when absent or when this is not an object.
    public subscript(key: String) -> JSONNode? {
        let entries = tape.entries
        let e = entries[index]
        guard e.kind == .object else { return nil }
        var utf8Key = key
        let found: Int? = utf8Key.withUTF8 { k in
            tape.withBytes { bytes in
                entries.withUnsafeBufferPointer { es in
                    var j = index + 1
                    while j < e.next {
                        let keyEntry = es[j]
                        if keyEntry.escaped {
                            if JSONNode(tape: tape, index: j).string == key { return j + 1 }
                        } else if keyEntry.end - keyEntry.start == k.count,
                            k.isEmpty || memcmp(bytes.baseAddress! + keyEntry.start, k.baseAddress!, k.count) == 0
                        {
                            return j + 1
                        }
                        j = es[j + 1].next
                    }
                    return nil
                }
            }
        }
        return found.map { JSONNode(tape: tape, index: $0) }
    }

    /// Whether a key's bytes spell `name`.
    @inline(__always) static func key(_ key: UnsafeBufferPointer<UInt8>, is name: StaticString) -> Bool {
        key.count == name.utf8CodeUnitCount
            && (key.isEmpty || memcmp(key.baseAddress!, name.utf8Start, key.count) == 0)
    }

    /// The elements of an array (empty for any other kind).
    public var elements: [JSONNode] {
        let e = entry
        guard e.kind == .array else { return [] }
        var result: [JSONNode] = []
        var j = index + 1
        while j < e.next {
            result.append(JSONNode(tape: tape, index: j))
            j = tape.entries[j].next
        }
        return result
    }

    /// The elements of an array one by one, without building an array (none for any other kind).
    public var eachElement: Elements {
        let e = entry
        return Elements(tape: tape, position: index + 1, end: e.kind == .array ? e.next : index + 1)
    }

    /// How many elements an array has (0 for any other kind).
    public var elementCount: Int {
        var count = 0
        for _ in eachElement { count += 1 }
        return count
    }

    /// The elements of an array, read in order from the tape.
    public struct Elements: Sequence, IteratorProtocol {
        let tape: JSONTape
        var position: Int
        let end: Int

        /// The next element, or `nil` after the last.
        public mutating func next() -> JSONNode? {
            guard position < end else { return nil }
            let node = JSONNode(tape: tape, index: position)
            position = tape.entries[position].next
            return node
        }
    }

    /// The members of an object in order (empty for any other kind).
    public var members: [(key: String, value: JSONNode)] {
        let e = entry
        guard e.kind == .object else { return [] }
        var result: [(String, JSONNode)] = []
        var j = index + 1
        while j < e.next {
            result.append((JSONNode(tape: tape, index: j).string ?? "", JSONNode(tape: tape, index: j + 1)))
            j = tape.entries[j + 1].next
        }
        return result
    }

    /// The string, when this is a string.
    public var string: String? {
        let e = entry
        guard e.kind == .string else { return nil }
        return tape.withBytes { b in
            let raw = UnsafeBufferPointer(rebasing: b[e.start..<e.end])
            return e.escaped ? Self.unescape(raw) : String(decoding: raw, as: UTF8.self)
        }
    }

    /// The raw bytes of a scalar (a number's digits) as text.
    private func text(_ e: JSONTape.Entry) -> String {
        tape.withBytes { b in String(decoding: UnsafeBufferPointer(rebasing: b[e.start..<e.end]), as: UTF8.self) }
    }

    /// The number as a `Double`, when this is a number.
    public var double: Double? {
        let e = entry
        guard e.kind == .number else { return nil }
        return Double(text(e))
    }

    /// The boolean, when this is `true` or `false`.
    public var bool: Bool? {
        let e = entry
        guard e.kind == .bool else { return nil }
        return tape.withBytes { $0[e.start] == 0x74 }
    }

    /// The value as a `JSONValue`, for metadata passed through untouched: numbers written with
    /// a fraction or exponent stay doubles.
    public var jsonValue: JSONValue { value(asDecoded: false) }

    /// The value as `JSONValue`'s `Decodable` reads it: integral numbers that fit are integers
    /// (`JSONValue.number(text:)`), so a listing read here equals one read by `JSONDecoder`.
    public var decodedValue: JSONValue { value(asDecoded: true) }

    private func value(asDecoded: Bool) -> JSONValue {
        switch kind {
        case .null: return .null
        case .bool: return .bool(bool ?? false)
        case .string: return .string(string ?? "")
        case .number:
            let e = entry
            let digits = text(e)
            if asDecoded, let v = JSONValue.number(text: digits) { return v }
            if let i = Int64(digits) { return .int(i) }
            return .double(Double(digits) ?? 0)
        case .array: return .array(elements.map { $0.value(asDecoded: asDecoded) })
        case .object:
            var object: [String: JSONValue] = [:]
            for (key, member) in members { object[key] = member.value(asDecoded: asDecoded) }
            return .object(object)
        }
    }

    /// Decodes the escapes of a string's raw bytes.
    static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = raw.startIndex
        func hex(_ at: Int) -> UInt32? {
            guard at + 4 <= raw.endIndex else { return nil }
            var v: UInt32 = 0
            for k in at..<(at + 4) {
                let c = raw[k]
                let d: UInt8
                switch c {
                case 0x30...0x39: d = c - 0x30
                case 0x41...0x46: d = c - 0x41 + 10
                case 0x61...0x66: d = c - 0x61 + 10
                default: return nil
                }
                v = v << 4 | UInt32(d)
            }
            return v
        }
        func append(_ scalar: UInt32) {
            let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            out.append(contentsOf: Array(String(Character(s)).utf8))
        }
        while i < raw.endIndex {
            let b = raw[i]
            guard b == 0x5C, i + 1 < raw.endIndex else {
                out.append(b)
                i += 1
                continue
            }
            let c = raw[i + 1]
            i += 2
            switch c {
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                guard let first = hex(i) else { continue }
                i += 4
                if first >= 0xD800, first < 0xDC00, i + 1 < raw.endIndex, raw[i] == 0x5C, raw[i + 1] == 0x75,
                    let second = hex(i + 2), second >= 0xDC00, second < 0xE000
                {
                    i += 6
                    append(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
                } else {
                    append(first)
                }
            default: out.append(c)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
