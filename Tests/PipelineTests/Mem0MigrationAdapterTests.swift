import Foundation
import MemoryAPI
import Pipeline
import Reading
import Testing

/// The official OSS-to-Platform migration's artifact and review file (ecosystem doc §3.2-3.3).
@Suite struct Mem0MigrationAdapterTests {
    @Test func artifactRecordsBecomeTheScriptsPayloadWithBothKeys() throws {
        let run = Fixtures.run([Fixtures.sample("mem0-migration-export.json")], Fixtures.options(user: nil))
        #expect(run.reports.first?.preset == .mem0Migration)
        #expect(run.texts == ["Prefers dark mode", "The user's favourite city is Lisbon"])
        let first = run.adds[0]
        #expect(first.infer == false)
        #expect(first.scope == Scope(userID: "alice", agentID: "bot", runID: "r1"))
        #expect(first.messages == [Message(role: .user, text: "Prefers dark mode", name: "Alice")])
        #expect(first.timestamp == 1_767_323_045)
        let meta = first.metadata ?? [:]
        #expect(meta["theme"] == "dark" && meta.keys.contains("unused") == false)
        #expect(meta["mem0_migration_source"] == "python_oss_qdrant" && meta["mem0_migration_collection"] == "mem0")
        #expect(meta["mem0_migration_local_id"] == "3f0c0000-0000-4000-8000-000000000001")
        #expect(meta["mem0_migration_local_hash"] == "5d41402abc4b2a76b9719d911017c592")
        let expected = SHA256.hex("python:qdrant:mem0:3f0c0000-0000-4000-8000-000000000001")
        #expect(meta[MigrationImportKey.field] == .string(expected))
        #expect(meta[MemoryFilter.importKeyField] == .string(run.units[0].importKey))
        #expect(run.adds[1].messages.first?.role == .assistant && run.adds[1].scope == Scope(agentID: "travel-bot"))
        // No text, and no user, agent or run id: rejects with that reason, located at their element.
        #expect(run.rejects.map(\.reason) == [.emptyRecord, .missingScope])
        #expect(run.rejects.map(\.locator.element) == [2, 3])
    }

    @Test func bareArrayUsesUnknownKeyParts() throws {
        let path = try Fixtures.write(
            #"[{"id": "p1", "memory": "Bare", "hash": "h", "created_at": null, "updated_at": null, "#
                + #""source": "python_oss_qdrant", "source_payload": {}, "user_id": "u"}]"#, name: "bare.json")
        let run = Fixtures.run([path], Fixtures.options(user: nil))
        #expect(run.reports.first?.preset == .mem0Migration && run.adds.count == 1)
        #expect(run.adds[0].metadata?[MigrationImportKey.field] == .string(SHA256.hex("unknown:unknown:unknown:p1")))
        #expect(run.adds[0].timestamp == nil)
    }

    @Test func reviewFileReplaysItsRecords() throws {
        let run = Fixtures.run([Fixtures.sample("mem0-migration-review.json")], Fixtures.options(user: nil))
        #expect(run.reports.first?.preset == .mem0Migration)
        #expect(run.texts == ["Owns a red bicycle", "Moved to Porto"])
        #expect(run.adds[0].scope == Scope(userID: "ivan") && run.adds[0].metadata?["kind"] == "fact")
        #expect(
            run.adds[0].metadata?[MigrationImportKey.field]
                == .string(SHA256.hex("python:qdrant:mem0:9a9a0000-0000-4000-8000-000000000001")))
        #expect(run.rejects.map(\.reason) == [.missingScope])
    }

    @Test func wrongTypesInEveryFieldAreLocatedRejects() throws {
        let fields: [(String, String)] = [
            ("id", "[1]"), ("memory", "5"), ("hash", "1"), ("created_at", "{}"), ("updated_at", "true"),
            ("source", "2"), ("source_payload", "\"x\""), ("user_id", "3"), ("agent_id", "[]"), ("run_id", "1.5"),
            ("actor_id", "{}"), ("role", "4"), ("metadata", "[1]"),
        ]
        var records: [String] = []
        for (field, bad) in fields {
            // A good record with one field replaced (no key twice).
            var members = [
                ("id", "\"x-\(field)\""), ("memory", "\"text\""), ("user_id", "\"u\""), ("source_payload", "{}"),
            ]
            members.removeAll { $0.0 == field }
            members.append((field, bad))
            records.append("{" + members.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
        }
        records.append(#"{"id": "fine", "memory": "Still imported", "user_id": "u", "source_payload": {}}"#)
        let artifact =
            #"{"version": 1, "kind": "mem0_oss_qdrant_export", "source": {"sdk": "python"}, "records": ["#
            + records.joined(separator: ",\n") + "]}"
        let path = try Fixtures.write(artifact, name: "bad-artifact.json")
        let run = Fixtures.run([path], Fixtures.options(user: nil))
        #expect(run.texts == ["Still imported"])
        #expect(run.rejects.count == fields.count)
        #expect(run.rejects.allSatisfy { $0.reason == .wrongType && $0.locator.element != nil })
        #expect(run.rejects.compactMap(\.path) == fields.map(\.0))
    }

    @Test func truncatedAndEmptyArtifactsAreLocatedRejects() throws {
        let text = try String(contentsOfFile: Fixtures.sample("mem0-migration-export.json"), encoding: .utf8)
        let cut = text.range(of: "\"id\": \"3f0c0000-0000-4000-8000-000000000002\"")!.lowerBound
        let path = try Fixtures.write(String(text[..<cut]), name: "cut.json")
        let run = Fixtures.run([path], Fixtures.options(user: nil))
        #expect(run.texts == ["Prefers dark mode"])
        #expect(run.rejects.count == 1 && run.rejects[0].reason == .unterminatedJSON)
        let empty = try Fixtures.write(
            #"{"version": 1, "kind": "mem0_oss_qdrant_export", "source": {}, "records": []}"#, name: "none.json")
        let none = Fixtures.run([empty], Fixtures.options(user: nil, preset: .mem0Migration))
        #expect(none.units.isEmpty && none.rejects.allSatisfy { $0.reason == .emptyInput })
    }
}
