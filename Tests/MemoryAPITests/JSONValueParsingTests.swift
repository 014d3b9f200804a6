import Foundation
import Testing

@testable import MemoryAPI

/// `JSONValue.parse` reads what `JSONDecoder` reads, and refuses what it refuses.
@Suite struct JSONValueParsingTests {
    static func decoded(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test func readsRandomValuesAsJSONDecoderDoes() throws {
        var g = JSONValueWritingTests.Generator(state: 42)
        for n in 0..<2000 {
            let v = JSONValueWritingTests.value(&g, depth: 0)
            var text = v.jsonString()
            if n % 3 == 0 { text = " \n\t" + text.replacingOccurrences(of: ",", with: " ,\r\n ") + " " }
            #expect(try JSONValue.parse(text) == (try Self.decoded(text)))
        }
    }

    @Test(arguments: [
        #"{"a":1,"b":[1.5,-0.0,3.0,1e2,2E-3,12345678901234567890,-9223372036854775808]}"#,
        #""\ud83d\ude00 \u00e9 \"q\" \\ \/ \b\f\n\r\t""#, #"[]"#, #"{}"#, #"[[[]]]"#, #"null"#, #"true"#, #"-12"#,
        #"{"dup":1,"dup":2}"#, "\"é😀\"", "[1,]", #"{"a":1 , }"#,
    ])
    func readsTheseAsJSONDecoderDoes(_ text: String) throws {
        #expect(try JSONValue.parse(text) == (try Self.decoded(text)))
    }

    @Test(arguments: [
        "", " ", "{", "[,]", "{,}", "[1,,]", "{\"a\":}", "{\"a\" 1}", "{a:1}", "01", "1.", ".5", "-", "1e", "+1", "tru",
        "nul",
        "\"unterminated", "\"bad \\x escape\"", "\"\\ud800\"", "\"\\udc00\"", "\"tab\there\"", "[1] 2", "1e400",
        "\"\\u12\"",
    ])
    func refusesWhatJSONDecoderRefuses(_ text: String) {
        #expect(throws: (any Error).self) { try Self.decoded(text) }
        #expect(throws: MemoryAPIError.self) { try JSONValue.parse(text) }
    }

    @Test func refusesInvalidUTF8AndDeepNesting() {
        #expect(throws: MemoryAPIError.self) { try JSONValue.parse(Data([0x22, 0xFF, 0x22])) }
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: MemoryAPIError.self) { try JSONValue.parse(deep) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? JSONValue.parse(fine)) != nil)
    }
}
