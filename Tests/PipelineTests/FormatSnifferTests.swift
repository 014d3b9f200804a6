import Pipeline
import Reading
import Testing

@Suite struct FormatSnifferTests {
    static func detect(_ text: String, ext: String = "") -> InputFormat {
        FormatSniffer.detect(name: "x", extension: ext, head: Array(text.utf8))
    }

    @Test func detectsContainers() {
        #expect(Self.detect("[{\"a\":1}]") == .json)
        #expect(Self.detect("{\"a\":1}\n{\"a\":2}\n") == .ndjson)
        #expect(Self.detect("{\n \"a\": 1\n}\n") == .json)
        #expect(Self.detect("{\"a\":1}\n") == .json)
        #expect(Self.detect("a,b\n1,2\n") == .csv)
        #expect(Self.detect("\"scalar\"") == .json)
        #expect(Self.detect("[1]", ext: "jsonl") == .ndjson)
        #expect(Self.detect("{}", ext: "csv") == .csv)
    }
}
