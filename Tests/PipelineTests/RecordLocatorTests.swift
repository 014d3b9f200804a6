import MemoryAPI
import Reading
import Testing

@testable import Pipeline

@Suite struct RecordLocatorTests {
    /// The ledger and the rejects' keys use `json`; it must stay the text `Codable` gives.
    @Test func jsonIsTheCodableForm() throws {
        let locators = [
            RecordLocator(file: "a.jsonl", line: 3, offset: 120),
            RecordLocator(
                file: "/x/conversations.json.gz", element: 7, offset: 9_000_000_000, compressedOffset: 4096,
                conversationID: "c-\"1\"", messageIDs: ["m1", "m2"], part: 2),
            RecordLocator(file: "-", offset: 0, messageIDs: ["é\n"]),
        ]
        for l in locators {
            #expect(l.json == (try JSONValue(encoding: l)))
            #expect(l.json.jsonString() == (try JSONValue(encoding: l)).jsonString())
        }
    }
}
