import MemoryAPI
import Pipeline
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
}
