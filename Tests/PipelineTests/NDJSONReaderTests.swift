import Foundation
import Pipeline
import Reading
import Testing

@Suite struct NDJSONReaderTests {
    static func items(_ bytes: [UInt8], limit: Int = 1 << 20) throws -> [ReadItem] {
        let path = try Fixtures.write(bytes, name: "in.jsonl")
        let reader = NDJSONReader(stream: try ByteStream(InputSource(path), chunkSize: 4096), maxRecordBytes: limit)
        var items: [ReadItem] = []
        while let item = try reader.next() { items.append(item) }
        return items
    }

    static func records(_ items: [ReadItem]) -> [SourceRecord] {
        items.compactMap { if case .record(let r) = $0 { return r } else { return nil } }
    }

    @Test func skipsBlankLinesAndTracksLinesAndOffsets() throws {
        let text = "\u{FEFF}{\"a\":1}\r\n\r\n   \n{\"b\":2}\n{\"c\":3}"
        let records = Self.records(try Self.items(Array(text.utf8)))
        #expect(records.count == 3)
        #expect(records.map(\.locator.line) == [1, 4, 5])
        #expect(records.map(\.locator.offset) == [3, 18, 26])
        guard case .json(let last) = records[2].body else { return }
        #expect(String(decoding: last, as: UTF8.self) == "{\"c\":3}")
    }

    @Test func longLinesAcrossChunksAreWhole() throws {
        let long = "{\"t\":\"" + String(repeating: "y", count: 30_000) + "\"}"
        let text = "{\"a\":1}\n" + long + "\n{\"b\":2}\n"
        let records = Self.records(try Self.items(Array(text.utf8)))
        #expect(records.count == 3)
        guard case .json(let data) = records[1].body else { return }
        #expect(data.count == long.utf8.count)
    }

    @Test func oversizedLineIsSkippedAsAReject() throws {
        let text = "{\"a\":1}\n{\"t\":\"" + String(repeating: "y", count: 30_000) + "\"}\n{\"b\":2}\n"
        let items = try Self.items(Array(text.utf8), limit: 5000)
        #expect(Self.records(items).map(\.locator.line) == [1, 3])
        guard case .reject(let reject) = items[1] else {
            Issue.record("expected a reject")
            return
        }
        #expect(reject.reason == .recordTooLarge)
        #expect(reject.locator.line == 2)
        #expect(reject.locator.offset == 8)
    }
}
