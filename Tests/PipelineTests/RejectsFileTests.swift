import Foundation
import MemoryAPI
import Pipeline
import Reading
import TestSupport
import Testing

/// Issue 16: the rejects file holds the record, and a replay after a fix stores it exactly once,
/// into the embedded store and through a real `memport serve`.
@Suite(.serialized) struct RejectsFileTests {
    /// A ChatGPT export whose second user message has a content type memport does not know.
    static let export = #"""
        [{"id":"c-bees","title":"Bees","create_time":1717232400,"current_node":"a2","mapping":{
          "root":{"id":"root","parent":null,"children":["u1"],"message":null},
          "u1":{"id":"u1","parent":"root","children":["a1"],"message":{"id":"u1","author":{"role":"user"},"create_time":1717232410,"content":{"content_type":"text","parts":["I keep two hives on my roof."]},"weight":1,"recipient":"all"}},
          "a1":{"id":"a1","parent":"u1","children":["u2"],"message":{"id":"a1","author":{"role":"assistant"},"create_time":1717232420,"content":{"content_type":"text","parts":["Lovely, how much honey do they make?"]},"weight":1,"recipient":"all"}},
          "u2":{"id":"u2","parent":"a1","children":["a2"],"message":{"id":"u2","author":{"role":"user"},"create_time":1717232430,"content":{"content_type":"hologram","parts":["About ten kilos a year."]},"weight":1,"recipient":"all"}},
          "a2":{"id":"a2","parent":"u2","children":[],"message":{"id":"a2","author":{"role":"assistant"},"create_time":1717232440,"content":{"content_type":"text","parts":["That is a good harvest."]},"weight":1,"recipient":"all"}}}}]
        """#

    /// What the store holds after the first import: with `infer=false` the user's messages are
    /// the memories (the assistant's turns give the context).
    static let chatTexts: Set<String> = ["I keep two hives on my roof."]

    @Test func aLineHoldsTheRecordItsPlaceAndNoStatusForInput() async throws {
        try await TemporaryDirectory.with { dir in
            try Self.export.write(toFile: dir.path("conversations.json"), atomically: true, encoding: .utf8)
            let (job, summary) = try await Self.importEmbedded(dir, source: "conversations.json")
            #expect(summary.progress.rejects == 1 && summary.progress.confirmed == 1)
            let path = try #require(summary.rejectsFile)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let line = try JSONValue.parse(try #require(text.split(separator: "\n").first.map(String.init)))
            #expect(line["kind"] == "record")
            #expect(line["reason"] == "unknown_content_type")
            #expect(line["message"]?.stringValue?.contains("'hologram'") == true)
            #expect(line["preset"] == "chatgpt")
            #expect(line["source"]?.stringValue == InputSource(dir.path("conversations.json")).identity)
            #expect(line["status"] == nil && line["import_key"] == nil)
            #expect(line["locator"]?["message_ids"] == ["u2"])
            #expect(line["locator"]?["element"] == 0)
            // The array's only element: after the '[' and before the ']'.
            #expect(line["offset"] == 1)
            #expect(line["length"]?.int64Value == Int64(Self.export.utf8.count - 2))
            #expect(line["record"]?["id"] == "c-bees")
            #expect(line["record"]?["mapping"]?["u2"]?["message"]?["content"]?["content_type"] == "hologram")
            let lines = try RejectsFile.read(path: path)
            #expect(lines.count == 1 && lines[0].kind == .record && lines[0].preset == .chatgpt)
            #expect(
                try await job.spec(of: summary.jobID).preset == nil, "the preset was detected, and the line names it")
        }
    }

    /// Reject, fix the line, replay: the fixed message is stored once; a second replay and a run
    /// over the unfixed input add nothing and list no reject.
    @Test func fixedInputRecordReplaysIntoTheEmbeddedStoreExactlyOnce() async throws {
        try await TemporaryDirectory.with { dir in
            try Self.export.write(toFile: dir.path("conversations.json"), atomically: true, encoding: .utf8)
            let (job, first) = try await Self.importEmbedded(dir, source: "conversations.json")
            let path = try #require(first.rejectsFile)
            #expect(Set(try await EngineFixtures.memories(inStore: dir.path("m.db")).map(\.memory)) == Self.chatTexts)

            try Self.fix(path, replacing: #""content_type":"hologram""#, with: #""content_type":"text""#)
            let (replayed, notReplayable) = try await job.replayRejects(first.jobID)
            #expect(notReplayable == 0)
            #expect(replayed.progress.confirmed == 1 && replayed.progress.rejects == 0)
            #expect(replayed.rejectsFile == nil && !FileManager.default.fileExists(atPath: path))
            let memories = try await EngineFixtures.memories(inStore: dir.path("m.db"))
            #expect(memories.map(\.memory).sorted() == (Self.chatTexts.union(["About ten kilos a year."])).sorted())
            let keys = memories.compactMap { $0.metadata?[MemoryFilter.importKeyField]?.stringValue }
            #expect(keys.count == 2 && Set(keys).count == 2, "the conversation's add and the replayed message")

            // The file is gone: a second replay has nothing to do.
            await #expect(throws: PipelineError.self) { _ = try await job.replayRejects(first.jobID) }
            // A run over the unfixed input adds nothing and lists no reject again.
            let again = try await job.run(try Self.spec(dir, source: "conversations.json"))
            #expect(again.progress.confirmed == 0 && again.progress.rejects == 0)
            #expect(again.progress.skippedMessages["fixed_by_replay"] == 1)
            #expect(again.rejectsFile == nil)
            #expect(try await EngineFixtures.memories(inStore: dir.path("m.db")).count == 2)
        }
    }

    /// A line that is not JSON is kept as text with its offset and length; fixed, it replays.
    @Test func rawLineIsKeptAsTextAndReplaysOnceFixed() async throws {
        try await TemporaryDirectory.with { dir in
            let good = #"{"id":"a","messages":[{"role":"user","content":"I drink green tea."}]}"#
            let bad = #"{"id":"b","messages":[{"role":"user","content":"I run on Sundays."}"#
            try (good + "\n" + bad + "\n").write(toFile: dir.path("chats.jsonl"), atomically: true, encoding: .utf8)
            let (job, first) = try await Self.importEmbedded(dir, source: "chats.jsonl")
            #expect(first.progress.rejectsByReason == ["invalid_json": 1])
            let path = try #require(first.rejectsFile)
            let line = try JSONValue.parse(try String(contentsOfFile: path, encoding: .utf8))
            #expect(line["kind"] == "raw")
            #expect(line["raw"]?.stringValue == bad)
            #expect(line["raw_truncated"] == false)
            #expect(line["offset"]?.int64Value == Int64(good.utf8.count + 1))
            #expect(line["length"]?.int64Value == Int64(bad.utf8.count))
            #expect(line["locator"]?["line"] == 2)
            #expect(line["preset"] == "openai")

            try Self.fix(path, replacing: #"Sundays.\"}""#, with: #"Sundays.\"}]}""#)
            let (replayed, notReplayable) = try await job.replayRejects(first.jobID)
            #expect(notReplayable == 0 && replayed.progress.confirmed == 1)
            #expect(!FileManager.default.fileExists(atPath: path))
            let again = try await job.run(try Self.spec(dir, source: "chats.jsonl"))
            #expect(again.progress.confirmed == 0 && again.progress.rejects == 0)
            let memories = try await EngineFixtures.memories(inStore: dir.path("m.db"))
            #expect(memories.map(\.memory).sorted() == ["I drink green tea.", "I run on Sundays."])
        }
    }

    /// A record cut short in the file cannot be replayed, and says so; it stays in the file.
    @Test func truncatedRawRecordIsNotReplayable() throws {
        let line = RejectsFile.Line(
            number: 1, id: "x", kind: .raw, raw: "{\"id\":", rawTruncated: true, preset: .openai,
            locator: RecordLocator(file: "chats.jsonl", line: 1))
        let replay = RejectReplay(options: Fixtures.options())
        #expect(replay.map(line) == nil)
        #expect(replay.problem(line)?.contains("first bytes") == true)
    }

    @Test func messagesNeverHoldAKey() throws {
        let r = LedgerReject(
            key: "k", importKey: "k", reason: "validation", status: 400,
            message: "refused: Authorization: Token m0-abcdefghijklmnop1234, api_key=sk-live-123456789", locator: "{}")
        let text = RejectsFile.line(r, jobID: "job-1").jsonString()
        #expect(!text.contains("m0-abcdefghijklmnop1234") && !text.contains("sk-live-123456789"))
        #expect(text.contains("[redacted]"))
    }

    /// The same round trip with the `memport` binary against a real `memport serve`: exit 6 with
    /// the reject, fix the line, `rejects --replay` stores it once; the key is nowhere in the file.
    @Test func binaryRoundTripAgainstServe() async throws {
        try await TemporaryDirectory.with { dir in
            let server = try await ServeProcess.start()
            defer { server.stop() }
            try Self.export.write(toFile: dir.path("conversations.json"), atomically: true, encoding: .utf8)
            let env = ["MEM0_API_KEY": server.apiKey]
            let state = dir.path("state")
            let status = try await EngineFixtures.memport(
                [
                    "import", dir.path("conversations.json"), "--user-id", "ines", "--target", server.baseURL,
                    "--state-dir", state, "--progress", "none", "--fail-on-rejects",
                ], environment: env, directory: dir.url.path)
            #expect(status == 6)
            let ledger = try Ledger(directory: URL(fileURLWithPath: state))
            let job = try #require(try await ledger.jobs().first)
            let path = RejectsFile.path(stateDirectory: URL(fileURLWithPath: state), jobID: job.id)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(!text.contains(server.apiKey))
            #expect(text.contains("About ten kilos a year."))
            try Self.fix(path, replacing: #""content_type":"hologram""#, with: #""content_type":"text""#)
            let replay = try await EngineFixtures.memport(
                ["rejects", job.id, "--replay", "--state-dir", state, "--progress", "none", "--fail-on-rejects"],
                environment: env, directory: dir.url.path)
            #expect(replay == 0)
            #expect(!FileManager.default.fileExists(atPath: path))
            let memories = try await EngineFixtures.memories(inStore: server.databasePath)
            #expect(memories.map(\.memory).sorted() == (Self.chatTexts.union(["About ten kilos a year."])).sorted())
            #expect(memories.allSatisfy { $0.scope.userID == "ines" })
            // The same import again: nothing new, no reject, exit 0 even with --fail-on-rejects.
            let rerun = try await EngineFixtures.memport(
                [
                    "import", dir.path("conversations.json"), "--user-id", "ines", "--target", server.baseURL,
                    "--state-dir", state, "--progress", "none", "--fail-on-rejects",
                ], environment: env, directory: dir.url.path)
            #expect(rerun == 0)
            #expect(try await EngineFixtures.memories(inStore: server.databasePath).count == 2)
        }
    }

    // MARK: - Helpers

    static func spec(_ dir: TemporaryDirectory, source: String) throws -> PipelineSpec {
        var spec = PipelineSpec(sources: [dir.path(source)], target: try TargetSpec("embedded:" + dir.path("m.db")))
        spec.scope = Scope(userID: "ines")
        return spec
    }

    static func importEmbedded(_ dir: TemporaryDirectory, source: String) async throws -> (ImportJob, ImportSummary) {
        let job = ImportJob(stateDirectory: dir.url.appendingPathComponent("state"))
        return (job, try await job.run(try spec(dir, source: source)))
    }

    /// Edits the rejects file as a user would, checking the edit applies.
    static func fix(_ path: String, replacing old: String, with new: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains(old), "the rejects file holds \(old)")
        try text.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
    }
}
