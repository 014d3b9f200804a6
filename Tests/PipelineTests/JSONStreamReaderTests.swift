import Foundation
import Pipeline
import Reading
import Testing

@Suite struct JSONStreamReaderTests {
    static func items(_ text: String, chunk: Int = 4096, limit: Int = 1 << 20) throws -> [ReadItem] {
        let path = try Fixtures.write(text, name: "in.json")
        let reader = JSONStreamReader(
            stream: try ByteStream(InputSource(path), chunkSize: chunk), maxRecordBytes: limit)
        var items: [ReadItem] = []
        while let item = try reader.next() { items.append(item) }
        return items
    }

    static func texts(_ items: [ReadItem]) -> [String] {
        items.compactMap {
            if case .record(let r) = $0, case .json(let data) = r.body { return String(decoding: data, as: UTF8.self) }
            return nil
        }
    }

    @Test func splitsTopLevelArrayElements() throws {
        let text = #"[ {"a":"x,]}\"y"}, [1,[2]] ,"s,t", 42, true ,null,{"b":{"c":[]}} ]"#
        let items = try Self.items(text)
        #expect(
            Self.texts(items) == [#"{"a":"x,]}\"y"}"#, "[1,[2]]", #""s,t""#, "42", "true", "null", #"{"b":{"c":[]}}"#])
        let locators = items.compactMap { if case .record(let r) = $0 { return r.locator } else { return nil } }
        #expect(locators.map(\.element) == [0, 1, 2, 3, 4, 5, 6])
        #expect(locators[0].offset == 2)
        #expect(locators[1].offset == Int64(Array(text.utf8).firstIndex(of: UInt8(ascii: "["), after: 1)))
    }

    @Test func elementsSpanningChunksAreWhole() throws {
        let big = String(repeating: "z", count: 20_000)
        let text = "[\n" + (0..<5).map { #"{"i":\#($0),"t":"\#(big)"}"# }.joined(separator: ",\n") + "\n]\n"
        let items = try Self.items(text, chunk: 4096)
        let texts = Self.texts(items)
        #expect(texts.count == 5)
        #expect(texts[3] == #"{"i":3,"t":"\#(big)"}"#)
        let lines = items.compactMap { if case .record(let r) = $0 { return r.locator.line } else { return nil } }
        #expect(lines == [2, 3, 4, 5, 6])
    }

    @Test func singleObjectIsOneRecord() throws {
        let text = "\u{FEFF}{\n \"a\": [1, 2],\n \"b\": {\"c\": \"}\"}\n}\n"
        #expect(Self.texts(try Self.items(text)) == ["{\n \"a\": [1, 2],\n \"b\": {\"c\": \"}\"}\n}"])
    }

    @Test func pageEnvelopeStreamsItsResults() throws {
        let text =
            #"{"count": 2, "next": null, "results": [{"id":"1","memory":"a"}, {"id":"2","memory":"b"}], "previous": null}"#
        let path = try Fixtures.write(text, name: "page.json")
        let reader = JSONStreamReader(stream: try ByteStream(InputSource(path)), maxRecordBytes: 1 << 20)
        var texts: [String] = []
        while let item = try reader.next() {
            if case .record(let r) = item, case .json(let d) = r.body {
                texts.append(String(decoding: d, as: UTF8.self))
            }
        }
        #expect(texts == [#"{"id":"1","memory":"a"}"#, #"{"id":"2","memory":"b"}"#])
        #expect(reader.isEnvelope)
    }

    @Test func oversizedElementIsARejectAndTheNextStillReads() throws {
        let big = String(repeating: "q", count: 50_000)
        let text = #"[{"a":1},{"big":"\#(big)"},{"b":2}]"#
        let items = try Self.items(text, chunk: 4096, limit: 10_000)
        #expect(Self.texts(items) == [#"{"a":1}"#, #"{"b":2}"#])
        guard case .reject(let reject) = items[1] else {
            Issue.record("expected a reject")
            return
        }
        #expect(reject.reason == .recordTooLarge)
        #expect(reject.locator.element == 1)
        #expect(reject.locator.offset == 9)
    }

    @Test func unterminatedArrayThrowsAfterTheCompleteElements() throws {
        let path = try Fixtures.write(#"[{"a":1},{"b":"#, name: "open.json")
        let reader = JSONStreamReader(stream: try ByteStream(InputSource(path)), maxRecordBytes: 1 << 20)
        guard case .record = try reader.next() else {
            Issue.record("expected the first element")
            return
        }
        #expect { _ = try reader.next() } throws: { ($0 as? PipelineError)?.code == .unterminatedJSON }
    }

    @Test func trailingDataAfterTheArrayIsAnError() throws {
        #expect { _ = try Self.items(#"[1] [2]"#) } throws: { ($0 as? PipelineError)?.code == .trailingData }
    }
}

extension Array where Element == UInt8 {
    fileprivate func firstIndex(of byte: UInt8, after start: Int) -> Int {
        self[(start + 1)...].firstIndex(of: byte) ?? -1
    }
}
