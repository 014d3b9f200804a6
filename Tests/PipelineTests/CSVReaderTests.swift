import Foundation
import Pipeline
import Reading
import Testing

@Suite struct CSVReaderTests {
    static func items(_ text: String, columns: [String]? = nil) throws -> [ReadItem] {
        let path = try Fixtures.write(text, name: "in.csv")
        let reader = CSVReader(
            stream: try ByteStream(InputSource(path), chunkSize: 4096), maxRecordBytes: 1 << 20, columns: columns)
        var items: [ReadItem] = []
        while let item = try reader.next() { items.append(item) }
        return items
    }

    static func rows(_ items: [ReadItem]) -> [CSVRow] {
        items.compactMap { if case .record(let r) = $0, case .row(let row) = r.body { return row } else { return nil } }
    }

    @Test func readsQuotedFieldsWithCommasQuotesAndNewlines() throws {
        let text = "\u{FEFF}a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n2,\"multi\r\nline\",\r\n\r\n3,plain,last"
        let items = try Self.items(text)
        let rows = Self.rows(items)
        #expect(rows.first?.header == ["a", "b", "c"])
        #expect(
            rows.map(\.fields) == [["1", "x, y", "say \"hi\""], ["2", "multi\r\nline", ""], ["3", "plain", "last"]])
        let lines = items.compactMap { if case .record(let r) = $0 { return r.locator.line } else { return nil } }
        #expect(lines == [2, 3, 6])
    }

    @Test func declaredColumnsReplaceTheHeader() throws {
        let rows = Self.rows(try Self.items("user,hi\nassistant,hello\n", columns: ["role", "content"]))
        #expect(rows.count == 2)
        #expect(rows[1]["content"] == "hello")
    }

    @Test func wrongFieldCountIsARejectAndLaterRowsRead() throws {
        let items = try Self.items("a,b\n1,2\n1,2,3\n4,5\n")
        #expect(Self.rows(items).map(\.fields) == [["1", "2"], ["4", "5"]])
        guard case .reject(let reject) = items[1] else {
            Issue.record("expected a reject")
            return
        }
        #expect(reject.reason == .wrongFieldCount)
        #expect(reject.locator.line == 3)
        #expect(reject.locator.offset == 8)
    }

    @Test func invalidUTF8FieldIsAReject() throws {
        var bytes = Array("a,b\n1,2\n".utf8)
        bytes += [0x31, 0x2C, 0xFF, 0x0A] + Array("3,4\n".utf8)
        let path = try Fixtures.write(bytes, name: "bad.csv")
        let reader = CSVReader(stream: try ByteStream(InputSource(path)), maxRecordBytes: 1 << 20)
        var reasons: [PipelineError.Code] = []
        var rows = 0
        while let item = try reader.next() {
            switch item {
            case .record: rows += 1
            case .reject(let r):
                reasons.append(r.reason)
                #expect(r.locator.line == 3)
                #expect(r.locator.offset == 8)
            }
        }
        #expect(rows == 2)
        #expect(reasons == [.invalidUTF8])
    }

    @Test func unterminatedQuoteThrowsNamingWhereItOpened() throws {
        let path = try Fixtures.write("a,b\n1,2\n3,\"open\n4,5\n", name: "q.csv")
        let reader = CSVReader(stream: try ByteStream(InputSource(path)), maxRecordBytes: 1 << 20)
        guard case .record = try reader.next() else {
            Issue.record("expected the first row")
            return
        }
        #expect {
            _ = try reader.next()
        } throws: { error in
            guard let e = error as? PipelineError else { return false }
            return e.code == .unterminatedQuote && e.locator?.line == 3 && e.locator?.offset == 10
        }
    }
}
