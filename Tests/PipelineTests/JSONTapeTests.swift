import Foundation
import MemoryAPI
import Pipeline
import Testing

@testable import Reading

@Suite struct JSONTapeTests {
    static func tape(_ text: String) throws -> JSONTape { try JSONTape(parsing: Data(text.utf8)) }

    /// A `Spare` parses each record into the entries of the tape before it; a tape still held
    /// keeps its own entries, so it reads the same after the next parse.
    @Test func spareEntriesAreReusedOnlyWhenFree() throws {
        let spare = JSONTape.Spare()
        let first = try spare.parse(Array(#"{"a":[1,2,3],"b":"one"}"#.utf8))
        let second = try spare.parse(Array(#"{"b":"two"}"#.utf8))
        #expect(first.root["b"]?.string == "one")
        #expect(first.root["a"]?.elementCount == 3)
        #expect(second.root["b"]?.string == "two")
        #expect(throws: ReadingError.self) { try spare.parse(Array(#"{"b":"#.utf8)) }
        #expect(try spare.parse(Array(#"["ok"]"#.utf8)).root.elements.first?.string == "ok")
        #expect(first.root["b"]?.string == "one")
    }

    @Test func readsMembersElementsAndScalars() throws {
        let root = try Self.tape(#" {"a": [1, -2.5e3, true, null], "b\u0021": {"c": "d"}, "e": false} "#).root
        #expect(root.kind == .object)
        #expect(root["a"]?.elements.map(\.kind) == [.number, .number, .bool, .null])
        #expect(root["a"]?.elements[1].double == -2500)
        #expect(root["b!"]?["c"]?.string == "d")
        #expect(root["e"]?.bool == false)
        #expect(root["missing"] == nil)
        #expect(root.members.map(\.key) == ["a", "b!", "e"])
        #expect(root.jsonValue == ["a": [1, -2500.0, true, nil], "b!": ["c": "d"], "e": false])
    }

    @Test func decodesEscapes() throws {
        let root = try Self.tape(#"["line\nbreak \"q\" \\ \/ caf\u00e9 \ud83d\ude00 \u0041"]"#).root
        #expect(root.elements.first?.string == "line\nbreak \"q\" \\ / café 😀 A")
    }

    @Test func keepsNonASCIIText() throws {
        #expect(try Self.tape(#"{"t":"Je suis végétarien 🌱"}"#).root["t"]?.string == "Je suis végétarien 🌱")
    }

    @Test(arguments: [
        ("[1,]", 3), ("{\"a\" 1}", 5), ("[01]", 2), ("\"a\u{01}\"", 2), (#"["\x"]"#, 3), ("[\"open", 6), ("{} x", 3),
        ("", 0), ("[tru]", 1), ("{\"a\":}", 5),
    ])
    func refusesInvalidJSONAtItsOffset(text: String, offset: Int) {
        #expect {
            _ = try Self.tape(text)
        } throws: { error in
            guard let e = error as? PipelineError else { return false }
            return e.code == .invalidJSON && e.locator?.offset == Int64(offset)
        }
    }

    @Test func refusesInvalidUTF8NamingTheByte() {
        var bytes = Array(#"{"a":"ok","b":"caf"#.utf8)
        let bad = bytes.count
        bytes += [0xC3, 0x28, 0x22, 0x7D]
        #expect {
            _ = try JSONTape(parsing: Data(bytes))
        } throws: { error in
            guard let e = error as? PipelineError else { return false }
            return e.code == .invalidUTF8 && e.locator?.offset == Int64(bad)
        }
    }

    @Test func refusesNestingDeeperThanTheLimit() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: PipelineError.self) { _ = try Self.tape(deep) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: Never.self) { _ = try Self.tape(fine) }
    }
}
