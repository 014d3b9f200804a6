import Foundation
import Testing

@testable import MemoryAPI

/// `JSONValue.jsonString()` writes the same bytes `JSONEncoder` (sorted keys, slashes kept) does.
@Suite struct JSONValueWritingTests {
    static func encoderText(_ v: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(v), as: UTF8.self)
    }

    /// Pieces that exercise escaping and key order: quotes, backslashes, every control
    /// character, CR LF (one Character), combining marks, non-ASCII, slashes, case and digits.
    static let pieces: [String] =
        [
            "a", "B", "b", "Z", "_", "10", "9", "é", "e\u{301}x", "\r\n", "\"", "\\", "/", "😀", "\u{2028}", "\u{E000}",
            "\u{FFFD}", " ", "\u{7F}",
        ]
        + (0..<32).map { String(Unicode.Scalar(UInt8($0))) }

    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state ^ (state >> 29)
        }
    }

    static func text(_ g: inout Generator) -> String {
        (0..<Int.random(in: 0...4, using: &g)).map { _ in pieces.randomElement(using: &g)! }.joined()
    }

    static func value(_ g: inout Generator, depth: Int) -> JSONValue {
        switch Int.random(in: 0..<(depth > 2 ? 5 : 7), using: &g) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &g))
        case 2: return .int(Int64.random(in: Int64.min...Int64.max, using: &g) >> Int64.random(in: 0...62, using: &g))
        case 3:
            let d = [0.1, 1.5, 1e20, 1e-7, -0.0, 100.0, 1.7976931348623157e308, 2.5e-5, 123_456_789.125]
            return .double(d.randomElement(using: &g)! * (Bool.random(using: &g) ? 1 : -0.5))
        case 4: return .string(text(&g))
        case 5: return .array((0..<Int.random(in: 0...4, using: &g)).map { _ in value(&g, depth: depth + 1) })
        default:
            var o: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &g) { o[text(&g)] = value(&g, depth: depth + 1) }
            return .object(o)
        }
    }

    @Test func matchesJSONEncoderOnRandomValues() throws {
        var g = Generator(state: 20_261_122)
        for _ in 0..<3000 {
            let v = Self.value(&g, depth: 0)
            let expected = try Self.encoderText(v)
            #expect(v.jsonString() == expected)
        }
    }

    @Test func escapesAsJSONEncoderDoes() throws {
        let v: JSONValue = .object(["s": .string("a/b\"c\\d\n\t\r\u{8}\u{C}\u{1}\u{1F}\u{7F}é\u{2028}😀\r\n")])
        #expect(v.jsonString() == #"{"s":"a/b\"c\\d\n\t\r\b\f\u0001\u001f\#u{7F}é\#u{2028}😀\r\n"}"#)
        #expect(v.jsonString() == (try Self.encoderText(v)))
        #expect(JSONValue.double(.infinity).jsonString() == "null")
        #expect(JSONValue.array([.double(100), .double(-0.0), .double(1e20)]).jsonString() == "[100,-0,1e+20]")
    }
}
