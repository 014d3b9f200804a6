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

    /// Keys for a fixed set of inputs, as the earlier hand-written SHA-256 made them: the recipe
    /// (`memport-import-v2`, the locator's key text, the scope, the content) hashed by Python's
    /// hashlib, which gives the key the pre-swift-crypto binary wrote into
    /// `Tests/Fixtures/ledger-v2` for its first record (the last vector). A key that moves would
    /// send every record of an interrupted or repeated import a second time.
    @Test func keysAreTheOnesEarlierVersionsMade() {
        let a = ImportKey.make(
            adapter: "openai", source: "/data/a.jsonl",
            locator: RecordLocator(
                file: "a.jsonl", line: 3, offset: 99, conversationID: "c", messageIDs: ["m1", "m2"]),
            scope: Scope(userID: "u"))
        #expect(a == "002fb5ee3a0efcd7df28e70000b577dad98ffcadcdaa0d384b0aecd6b39d7977")

        let prefix = ImportKey.prefix(adapter: "chatgpt", source: "stdin")
        let locator = RecordLocator(
            file: "-", line: 1, element: 7, offset: 5, compressedOffset: 3, conversationID: "conv-ü",
            messageIDs: ["n0", "n1", "n2"], part: 2)
        let scope = Scope(userID: "ü", agentID: "a", appID: "app", runID: "r")
        let messages = [Message(role: .user, text: "Héllo 👋"), Message(role: .assistant, text: "line\nbreak")]
        let expected: [(Int64?, String)] = [
            (1_714_000_000, "e0e1ffa301ae6ae2cd2b85f6781e8e0b91140792599799ea615802ab826da715"),
            (nil, "82eb86446c53ce3a0832c2fdc9ac4bd6d4f1a2b192709e48f6e6680d64ca4838"),
            (-5, "09cbfb6b8021ac4af81e8f0b016a2641f8e3512c3ef935bf646bad15f3a1865c"),
            (.min, "b6879e7880ade48a21295108b3f4ecfd1d120e9a100530d81802b9288b49f70e"),
            (0, "2c6be06181edef74aeba193f03a0178d231b977ec8ff8a401daf286d35bf4d77"),
        ]
        for (timestamp, key) in expected {
            // The streamed form (what UnitBuilder uses) and the text form give the same key.
            #expect(
                ImportKey.make(prefix: prefix, locator: locator, scope: scope, messages: messages, timestamp: timestamp)
                    == key, "t=\(timestamp.map(String.init) ?? "-")")
            #expect(
                ImportKey.make(
                    prefix: prefix, locator: locator, scope: scope,
                    content: ImportKey.content(of: messages, timestamp: timestamp)) == key)
        }

        let stdin = ImportKey.prefix(adapter: "openai", source: "stdin")
        #expect(
            ImportKey.make(
                prefix: stdin,
                locator: RecordLocator(file: "-", line: 12, conversationID: "chat-9", messageIDs: ["m0"]),
                scope: Scope(userID: "u"), messages: [Message(role: .user, text: "")], timestamp: nil)
                == "1e06ef49ba49007c260698c1553b2d342c25aaf3df37f37dd94673714b560abc")
        #expect(
            ImportKey.make(
                prefix: stdin, locator: RecordLocator(file: "-"), scope: Scope(), messages: [Message](), timestamp: nil)
                == "14d361e7dcd8b491bfa19371b260e56d04454fb416c3503c6e9d07637892ab8d")
        // A batch-update unit: no scope.
        #expect(
            ImportKey.make(
                adapter: "mem0", source: "/x/dump.json", locator: RecordLocator(file: "dump.json", line: 1, element: 0),
                scope: nil, content: ImportKey.content(of: BatchUpdateItem(memoryID: "m1", text: "x")))
                == "a1e0a0605a0804bd6384622cb957bdb7fbef60788a7e75134a2f3f74471cb792")
        // The first unit of Tests/Fixtures/ledger-v2's first job, as the earlier binary keyed it.
        #expect(
            ImportKey.make(
                prefix: stdin,
                locator: RecordLocator(file: "-", line: 1, conversationID: "oa-tools", messageIDs: ["m1", "m4"]),
                scope: Scope(userID: "key-fixture"),
                messages: [
                    Message(role: .user, text: "Book me a table in Lisbon for Friday."),
                    Message(role: .assistant, text: "Your table in Lisbon is booked for Friday."),
                ], timestamp: nil) == "d750e090198785c4e7aab14100502c09ff56f4a8618d903636d4006c48032eb8")
    }
}
