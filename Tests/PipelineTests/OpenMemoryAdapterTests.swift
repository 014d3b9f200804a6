import Foundation
import MemoryAPI
import Pipeline
import Testing

/// OpenMemory backup zips (ecosystem doc §3.7), read streaming through `ZipArchive`.
@Suite struct OpenMemoryAdapterTests {
    @Test func backupZipReadsTheLinesEntryAndSkipsInactiveMemories() throws {
        let run = Fixtures.run([Fixtures.sample("memories_export_alice.zip")], Fixtures.options(user: nil))
        #expect(run.reports.first?.preset == .openmemory && run.reports.first?.format == .ndjson)
        #expect(run.rejects.isEmpty, "\(run.rejects)")
        #expect(
            run.texts == ["Prefers dark mode", "Works at Acme on the billing team", "Drinks green tea every morning"])
        #expect(run.skipped == ["openmemory_archived": 1, "openmemory_paused": 1])
        #expect(run.adds.allSatisfy { $0.scope == Scope(userID: "alice") && $0.infer == false })
        #expect(run.adds[0].memportCategories == ["preferences"] && run.adds[1].memportCategories == ["work"])
        #expect(run.adds[0].metadata?["source"] == "ide" && run.adds[0].metadata?.keys.contains("note") == false)
        #expect(run.adds[0].metadata?[Mem0DumpAdapter.sourceIDField] == "m1")
        #expect(run.adds[0].timestamp == 1_769_940_000)
    }

    @Test func appNameAsAppIDAndArchivedWhenAsked() throws {
        let run = Fixtures.run(
            [Fixtures.sample("memories_export_alice.zip")],
            Fixtures.options(user: nil) {
                $0.adapter.appIDFromApp = true
                $0.adapter.includeArchived = true
            })
        #expect(run.adds.count == 5 && run.skipped.isEmpty)
        #expect(run.adds[0].scope == Scope(userID: "alice", appID: "cursor"))
        #expect(run.adds[2].metadata?["openmemory_state"] == "archived")
    }

    @Test func jsonOnlyBackupResolvesAppsAndCategories() throws {
        let run = Fixtures.run(
            [Fixtures.sample("openmemory-json-only.zip")],
            Fixtures.options(user: nil) { $0.adapter.appIDFromApp = true })
        #expect(run.reports.first?.preset == .openmemory && run.reports.first?.format == .json)
        #expect(run.texts.count == 3 && run.rejects.isEmpty)
        #expect(run.adds[1].scope == Scope(userID: "alice", appID: "claude"))
        #expect(run.adds[1].memportCategories == ["work"])
    }

    @Test func truncatedZipKeepsWhatWasReadAndRejectsAtItsOffset() throws {
        // A stored entry holding a gzip stream: the cut lands inside the lines, and the complete
        // lines before it count.
        let zipPath = Fixtures.sample("memories_export_bob.zip")
        let dir = try Fixtures.tempDir()
        let whole = try Data(contentsOf: URL(fileURLWithPath: zipPath))
        let full = Fixtures.run([zipPath], Fixtures.options(user: nil))
        #expect(full.adds.count == 400 && full.adds.allSatisfy { $0.scope == Scope(userID: "bob") })
        let cutPath = dir.appendingPathComponent("memories_export_bob-cut.zip").path
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: cutPath))
        let cut = Fixtures.run([cutPath], Fixtures.options(user: "bob"))
        #expect(cut.adds.count > 0 && cut.adds.count < 400)
        #expect(cut.texts == Array(full.texts.prefix(cut.adds.count)))
        #expect(cut.rejects.count == 1, "\(cut.rejects)")
        #expect(cut.rejects.first?.reason == .truncatedZip || cut.rejects.first?.reason == .truncatedGzip)
        #expect((cut.rejects.first?.locator.offset ?? 0) > 0)
    }

    @Test func wrongTypesAreLocatedRejects() throws {
        let lines = [
            #"{"id": "a", "content": 5, "state": "active"}"#, #"{"id": "b", "content": "x", "state": 1}"#,
            #"{"id": "c", "content": "x", "metadata": []}"#, #"{"id": "d", "content": "x", "categories": "w"}"#,
            #"{"id": "e", "content": "x", "app": 3}"#, #"{"id": "f", "content": "x", "created_at": 9}"#,
            #"{"id": [], "content": "x"}"#, #"{"id": "g", "content": ""}"#, #"{"id": "h", "content": "fine"}"#,
        ]
        let path = try Fixtures.write(lines.joined(separator: "\n") + "\n", name: "om.jsonl")
        let run = Fixtures.run([path], Fixtures.options(user: "u", preset: .openmemory))
        #expect(run.texts == ["fine"])
        #expect(run.rejects.count == lines.count - 1)
        #expect(run.rejects.allSatisfy { $0.locator.line != nil })
        #expect(
            run.rejects.compactMap(\.path) == [
                "content", "state", "metadata", "categories", "app", "created_at", "id", "content",
            ])
    }
}
