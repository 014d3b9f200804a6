import MemoryAPI
import Pipeline
import Reading
import Testing

@Suite struct ImportKeyTests {
    @Test func isStableAndSensitiveToEveryPart() {
        let locator = RecordLocator(
            file: "a.jsonl", line: 3, offset: 99, conversationID: "c", messageIDs: ["m1", "m2"])
        let scope = Scope(userID: "u")
        let key = ImportKey.make(adapter: "openai", source: "/data/a.jsonl", locator: locator, scope: scope)
        #expect(key.count == 64)
        #expect(key == ImportKey.make(adapter: "openai", source: "/data/a.jsonl", locator: locator, scope: scope))
        var moved = locator
        moved.offset = 12
        moved.file = "other-name.jsonl"
        #expect(key == ImportKey.make(adapter: "openai", source: "/data/a.jsonl", locator: moved, scope: scope))
        var otherLine = locator
        otherLine.line = 4
        #expect(key != ImportKey.make(adapter: "openai", source: "/data/a.jsonl", locator: otherLine, scope: scope))
        #expect(key != ImportKey.make(adapter: "sharegpt", source: "/data/a.jsonl", locator: locator, scope: scope))
        #expect(key != ImportKey.make(adapter: "openai", source: "/data/b.jsonl", locator: locator, scope: scope))
        #expect(
            key
                != ImportKey.make(
                    adapter: "openai", source: "/data/a.jsonl", locator: locator, scope: Scope(agentID: "u")))
    }

    /// A different record at the same place (stdin read twice, a file rewritten) gets another key.
    @Test func theContentIsPartOfTheKey() {
        let locator = RecordLocator(file: "-", line: 1, offset: 0)
        let a = ImportKey.content(of: [Message(role: .user, text: "I like tea")], timestamp: nil)
        let b = ImportKey.content(of: [Message(role: .user, text: "I like coffee")], timestamp: nil)
        let c = ImportKey.content(of: [Message(role: .user, text: "I like tea")], timestamp: 1_700_000_000)
        let key = { (content: String) in
            ImportKey.make(
                adapter: "openai", source: "stdin", locator: locator, scope: Scope(userID: "u"), content: content)
        }
        #expect(key(a) == key(a))
        #expect(key(a) != key(b) && key(a) != key(c))
        let item = BatchUpdateItem(memoryID: "m1", text: "x", metadata: ["k": 1])
        var changed = item
        changed.metadata = ["k": 2]
        #expect(ImportKey.content(of: item) != ImportKey.content(of: changed))
    }
}
