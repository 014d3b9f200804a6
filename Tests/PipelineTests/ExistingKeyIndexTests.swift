import Foundation
import MemoryAPI
import Pipeline
import Reading
import TestSupport
import Testing

/// Interop with Mem0's official migration script: memport and the script each skip what the
/// other imported, and a re-run from another machine or a fresh state directory sends nothing
/// twice, against the embedded store and a real `memport serve`.
@Suite(.serialized) struct ExistingKeyIndexTests {
    /// The artifact's valid records: two texts.
    static let texts: Set<String> = ["Prefers dark mode", "The user's favourite city is Lisbon"]

    @Test func embeddedRerunsFromFreshStateAndAnotherPathSendNothingTwice() async throws {
        try await TemporaryDirectory.with { dir in
            try await Self.rerunsSendNothingTwice(target: "embedded:" + dir.path("m.db"), dir: dir, environment: [:])
            let memories = try await EngineFixtures.memories(inStore: dir.path("m.db"))
            #expect(memories.count == 2 && Set(memories.map(\.memory)) == Self.texts)
        }
    }

    @Test func serveRerunsFromFreshStateAndAnotherPathSendNothingTwice() async throws {
        try await TemporaryDirectory.with { dir in
            try await ServeProcess.with { server in
                try await Self.rerunsSendNothingTwice(
                    target: server.baseURL, dir: dir, environment: ["MEM0_API_KEY": server.apiKey])
                let memories = try await EngineFixtures.memories(inStore: server.databasePath)
                #expect(memories.count == 2 && Set(memories.map(\.memory)) == Self.texts)
            }
        }
    }

    @Test func embeddedSkipsWhatTheScriptImported() async throws {
        try await TemporaryDirectory.with { dir in
            let target = "embedded:" + dir.path("m.db")
            try await Self.scriptImportedFirst(target: target, dir: dir, environment: [:])
            let memories = try await EngineFixtures.memories(inStore: dir.path("m.db"))
            #expect(memories.count == 2, "\(memories.map(\.memory))")
        }
    }

    @Test func serveSkipsWhatTheScriptImported() async throws {
        try await TemporaryDirectory.with { dir in
            try await ServeProcess.with { server in
                try await Self.scriptImportedFirst(
                    target: server.baseURL, dir: dir, environment: ["MEM0_API_KEY": server.apiKey])
                let memories = try await EngineFixtures.memories(inStore: server.databasePath)
                #expect(memories.count == 2, "\(memories.map(\.memory))")
            }
        }
    }

    @Test func assistantRecordsFiledUnderTheirAgentAreFoundOnARerun() async throws {
        try await TemporaryDirectory.with { dir in
            let artifact = dir.path("artifact.json")
            try #"""
            {"version": 1, "kind": "mem0_oss_qdrant_export", "source": {"sdk": "python", "vector_store": "qdrant",
             "collection": "mem0"}, "records": [
              {"id": "a1", "memory": "Suggested the night train", "user_id": "alice", "agent_id": "bot",
               "role": "assistant", "source_payload": {}},
              {"id": "a2", "memory": "Likes night trains", "user_id": "alice", "agent_id": "bot", "role": "user",
               "source_payload": {}}
            ]}
            """#.write(toFile: artifact, atomically: true, encoding: .utf8)
            let db = dir.path("m.db")
            let spec = PipelineSpec(sources: [artifact], target: try TargetSpec("embedded:" + db))
            let first = try await ImportJob(stateDirectory: dir.url.appendingPathComponent("s1")).run(spec)
            #expect(first.progress.confirmed == 2, "\(first.progress)")
            let again = try await ImportJob(stateDirectory: dir.url.appendingPathComponent("s2")).run(spec)
            #expect(again.progress.confirmed == 0 && again.progress.skippedExisting == 2, "\(again.progress)")
            #expect(try await EngineFixtures.memories(inStore: db).count == 2)
        }
    }

    @Test func listsEachScopeOnceAndOnlyForMigrationRecords() async throws {
        try await TemporaryDirectory.with { dir in
            let target = try TargetFactory.open("embedded:" + dir.path("m.db"))
            let index = ExistingKeyIndex(target: target, pageSize: 2)
            // Five memories of alice carry keys; a listing of pages of two reads them all.
            for i in 0..<5 {
                _ = try await target.add(
                    AddRequest(
                        messages: [Message(role: .user, text: "fact \(i)")], scope: Scope(userID: "alice"),
                        metadata: [MigrationImportKey.field: .string("k\(i)")], infer: false))
            }
            func unit(_ key: String, _ scope: Scope, migration: Bool = true) -> ImportUnit {
                var metadata: [String: JSONValue] = [MemoryFilter.importKeyField: .string("m-" + key)]
                if migration { metadata[MigrationImportKey.field] = .string(key) }
                return ImportUnit(
                    payload: .add(
                        AddRequest(
                            messages: [Message(role: .user, text: key)], scope: scope, metadata: metadata,
                            infer: false)), importKey: "m-" + key,
                    locator: RecordLocator(file: "x"),
                    source: SourceFingerprint(identity: "x", size: nil, modified: nil, headHash: ""), adapter: "t")
            }
            let found = try await index.alreadyThere([
                unit("k1", Scope(userID: "alice", agentID: "bot")), unit("k4", Scope(userID: "alice")),
                unit("k9", Scope(userID: "alice")), unit("k2", Scope(userID: "bob")),
                unit("k3", Scope(userID: "alice"), migration: false),
            ])
            // The script's key names one OSS record wherever it was filed: k2, found under alice,
            // is there for bob's unit too; k9 is nowhere; k3 carries no script key (not looked for).
            #expect(found == ["m-k1", "m-k4", "m-k2"])
            let calls = await index.listingCalls
            #expect(calls == 3 + 1, "alice: three pages of two; bob: one")
            _ = try await index.alreadyThere([unit("k0", Scope(userID: "alice"))])
            #expect(await index.listingCalls == calls)
            await target.close()
        }
    }

    /// Imports the artifact, then again from a fresh state directory, then a copy of it at
    /// another path (another machine's run) from a third: only the first sends anything.
    static func rerunsSendNothingTwice(target: String, dir: TemporaryDirectory, environment: [String: String])
        async throws
    {
        let artifact = Fixtures.sample("mem0-migration-export.json")
        var spec = PipelineSpec(sources: [artifact], target: try TargetSpec(target))
        spec.chunkSize = 1
        let first = try await ImportJob(
            stateDirectory: dir.url.appendingPathComponent("s1"), environment: environment
        ).run(spec)
        #expect(first.progress.confirmed == 2 && first.progress.rejects == 2, "\(first.progress)")
        let fresh = try await ImportJob(
            stateDirectory: dir.url.appendingPathComponent("s2"), environment: environment
        ).run(spec)
        #expect(fresh.progress.confirmed == 0 && fresh.progress.skippedExisting == 2, "\(fresh.progress)")
        let copy = dir.path("elsewhere.json")
        try FileManager.default.copyItem(atPath: artifact, toPath: copy)
        spec.sources = [copy]
        let moved = try await ImportJob(
            stateDirectory: dir.url.appendingPathComponent("s3"), environment: environment
        ).run(spec)
        #expect(moved.progress.confirmed == 0 && moved.progress.skippedExisting == 2, "\(moved.progress)")
    }

    /// One record already imported by the script (its payload, with only the script's key):
    /// memport sends the other one alone.
    static func scriptImportedFirst(target: String, dir: TemporaryDirectory, environment: [String: String])
        async throws
    {
        let opened = try TargetFactory.open(target, environment: environment)
        let key = SHA256.hex("python:qdrant:mem0:3f0c0000-0000-4000-8000-000000000001")
        _ = try await opened.add(
            AddRequest(
                messages: [Message(role: .user, text: "Prefers dark mode")],
                scope: Scope(userID: "alice", agentID: "bot", runID: "r1"),
                metadata: [
                    "theme": "dark", MigrationImportKey.field: .string(key),
                    MigrationImportKey.localHashField: "5d41402abc4b2a76b9719d911017c592",
                ], infer: false))
        await opened.close()
        let spec = PipelineSpec(
            sources: [Fixtures.sample("mem0-migration-export.json")], target: try TargetSpec(target))
        let run = try await ImportJob(
            stateDirectory: dir.url.appendingPathComponent("s"), environment: environment
        ).run(spec)
        #expect(run.progress.confirmed == 1 && run.progress.skippedExisting == 1, "\(run.progress)")
    }
}
