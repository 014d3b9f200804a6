import Testing

@testable import MemoryAPI

@Suite struct PythonLiteralTests {
    @Test func readsPythonReprAsTheSDKSendsIt() throws {
        let v = try PythonLiteral.parse(
            "{'user_id': 'alice', 'n': None, 'ok': True, 'bad': False, 'x': 1.5, 'l': ('a', 2,)}")
        #expect(v == ["user_id": "alice", "n": nil, "ok": true, "bad": false, "x": 1.5, "l": ["a", 2]])
    }

    @Test func readsJSONToo() throws {
        #expect(
            try PythonLiteral.parse(#"{"a": [1, -2e3, "q\"\u00e9"], "b": null}"#) == [
                "a": [1, -2000.0, "q\"é"], "b": nil,
            ])
        #expect(try PythonLiteral.parse(#""\ud83d\ude00""#) == "😀")
        #expect(try PythonLiteral.parse("'it\\'s'") == "it's")
    }

    @Test func errorsNameTheByteOffset() {
        let cases: [(String, String)] = [
            ("{'a' 1}", "byte 5"),
            ("{'a': 1", "byte 7"),
            ("[1, 2", "byte 5"),
            ("{a: 1}", "byte 1"),
            ("'open", "byte 5"),
            ("{'a': 1} x", "byte 9"),
            ("Nonesuch", "byte 0"),
            (String(repeating: "[", count: 300), "byte 256"),
        ]
        for (text, offset) in cases {
            let error = #expect(throws: MemoryAPIError.self) { try PythonLiteral.parse(text) }
            #expect(error?.message.hasPrefix(offset + ":") == true, "\(text): \(error?.message ?? "")")
        }
    }
}
