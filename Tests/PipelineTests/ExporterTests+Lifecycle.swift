import Foundation
import MemoryAPI
import MemoryStore
import Pipeline
import Reading
import TestSupport
import Testing

/// Mem0's Dream lifecycle through export, restore and verify (ecosystem doc §1.3): merged records
/// exported too, `lifecycle_state`, `synthesized` and `replaced_by` kept in every format, restored
/// copies tagged in their metadata, and verify comparing latest-only.
extension ExporterTests {
    /// A store with an active fact, the fact it superseded, a duplicate merged into it and a
    /// synthesized pattern; returns the target and the ids in that order.
    static func dreamTarget(_ dir: TemporaryDirectory) async throws -> (EmbeddedTarget, [String]) {
        let target = try EmbeddedTarget(path: dir.path("dream.db"))
        var ids: [String] = []
        for text in ["Works at Globex", "Works at Initech", "Employed by Globex", "Changes jobs every two years"] {
            let added = try await target.store.add(
                AddRequest(
                    messages: [Message(role: .user, text: text)], scope: Scope(userID: "u"), metadata: ["k": "v"],
                    infer: false),
                in: .default)
            ids.append(try #require(added.results.first?.id))
        }
        let store = target.store
        _ = try await store.setLifecycle(
            id: ids[1], state: MemoryLifecycle.superseded, synthesized: nil, replacedBy: .some(ids[0]), in: .default)
        _ = try await store.setLifecycle(
            id: ids[2], state: MemoryLifecycle.merged, synthesized: nil, replacedBy: .some(ids[0]), in: .default)
        _ = try await store.setLifecycle(
            id: ids[3], state: MemoryLifecycle.active, synthesized: true, replacedBy: nil, in: .default)
        return (target, ids)
    }

    @Test(arguments: [ExportFormat.ndjson, .json, .csv])
    func exportsHoldMergedRecordsWithTheirLifecycle(_ format: ExportFormat) async throws {
        try await TemporaryDirectory.with { dir in
            let (target, ids) = try await Self.dreamTarget(dir)
            // The default listing hides the merged duplicate; the export asks for it.
            let listed = try await target.memories(filter: .userID("u"), page: 1, pageSize: 10)
            #expect(listed.count == 3)
            let out = dir.path("out." + format.fileExtension)
            let summary = try await Exporter(
                target: target, ledger: try Ledger(directory: dir.url.appendingPathComponent("state")),
                options: .init(output: out, format: format)
            ).run()
            #expect(summary.state.written == 4)
            #expect(summary.state.serverTotal == 4 && summary.state.mergedTotal == 1)
            #expect(summary.rendered().contains("1 of them are records Mem0's Dream merged"), "\(summary.rendered())")

            var read: [String: Memory] = [:]
            try await VerifySide.file(out).forEach(open: { try TargetFactory.open($0) }) { read[$0.id] = $0 }
            #expect(Set(read.keys) == Set(ids))
            #expect(read[ids[0]]?.lifecycleState == nil && read[ids[0]]?.replacedBy == nil)
            #expect(read[ids[1]]?.lifecycleState == "superseded" && read[ids[1]]?.replacedBy == ids[0])
            #expect(read[ids[2]]?.lifecycleState == "merged" && read[ids[2]]?.replacedBy == ids[0])
            #expect(read[ids[3]]?.synthesized == true)

            // Read back as restore reads it: the lifecycle goes into the copy's metadata.
            let reader = ImportReader(sources: [InputSource(out)], options: ImportOptions(preset: .mem0))
            var metadata: [String: [String: JSONValue]] = [:]
            while let event = reader.next() {
                if case .unit(let unit) = event, case .add(let request) = unit.payload,
                    case .string(let origin) = request.metadata?[Mem0DumpAdapter.sourceIDField]
                {
                    metadata[origin] = request.metadata
                }
            }
            #expect(metadata.count == 4)
            #expect(metadata[ids[0]]?.keys.sorted() == ["k", "memport_import_key", "memport_source_id"])
            #expect(metadata[ids[1]]?["memport_lifecycle_state"] == "superseded")
            #expect(metadata[ids[1]]?["memport_replaced_by"] == .string(ids[0]))
            #expect(metadata[ids[2]]?["memport_lifecycle_state"] == "merged")
            #expect(metadata[ids[3]]?["memport_synthesized"] == true)
            #expect(metadata[ids[3]]?["memport_lifecycle_state"] == nil)
            #expect(metadata[ids[3]]?["k"] == "v")
        }
    }

    @Test func verifyComparesEverythingOrTheLatestOnly() async throws {
        try await TemporaryDirectory.with { dir in
            let (target, _) = try await Self.dreamTarget(dir)
            let out = dir.path("out.jsonl")
            _ = try await Exporter(
                target: target, ledger: try Ledger(directory: dir.url.appendingPathComponent("state")),
                options: .init(output: out)
            ).run()
            let spec = "embedded:" + dir.path("dream.db")
            let open: @Sendable (String) throws -> any MemoryTarget = { try TargetFactory.open($0) }

            let all = try await Verifier(open: open).compare(.target(spec), .file(out))
            #expect(all.identical && all.sourceCount == 4 && all.targetCount == 4)

            let latest = try await Verifier(lifecycle: .latestOnly, open: open).compare(.target(spec), .file(out))
            #expect(latest.identical && latest.latestOnly)
            #expect(latest.sourceCount == 2 && latest.targetCount == 2)
            // Both sides are read whole (so their own counts still add up) and the superseded and
            // merged memories are left out by the state each carries.
            #expect(latest.sourceLeftOut == 2 && latest.targetLeftOut == 2)
            #expect(latest.uncounted.isEmpty)
            #expect(latest.rendered().contains("latest only"))

            // A latest-only comparison with a side that still holds a superseded fact as current
            // (a copy restored without its tags) finds it extra.
            var lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
            lines = lines.map { $0.replacingOccurrences(of: #""lifecycle_state":"superseded","#, with: "") }
            lines = lines.map {
                $0.replacingOccurrences(of: #","replaced_by":"[0-9a-f-]+""#, with: "", options: .regularExpression)
            }
            try (lines.joined(separator: "\n") + "\n").write(
                toFile: dir.path("untagged.jsonl"), atomically: true, encoding: .utf8)
            let untagged = try await Verifier(lifecycle: .latestOnly, open: open).compare(
                .target(spec), .file(dir.path("untagged.jsonl")))
            #expect(!untagged.identical && untagged.extraCount == 1)
        }
    }

    /// The whole round over HTTP, through the binary: `backup` of a `memport serve` holding
    /// Dream's states keeps merged records and their lifecycle, `restore` tags the copies
    /// (`memport_synthesized`, `memport_lifecycle_state`, `memport_replaced_by`) instead of
    /// adding plain facts, and `verify` finds backup and copy identical, in full and latest-only.
    @Test func backupRestoreAndVerifyKeepTheLifecycleOverHTTP() async throws {
        try await TemporaryDirectory.with { dir in
            let (target, ids) = try await Self.dreamTarget(dir)
            await target.close()
            let server = try await ServeProcess.start(database: dir.path("dream.db"))
            defer { server.stop() }
            let env = ["MEM0_API_KEY": server.apiKey]
            let backup = try await CommandRun.memport(
                ["backup", "--target", server.baseURL, "--output", "bk", "--state-dir", "state"], environment: env,
                directory: dir.url.path)
            #expect(backup.status == 0, "\(backup.stderr)")
            let manifest = try BackupManifest.verified(directory: dir.path("bk"))
            #expect(manifest.total == 4, "the merged duplicate is backed up too")
            #expect(manifest.serverCount == 4, "and counted with it")

            let restore = try await CommandRun.memport(
                ["restore", "bk", "--target", "embedded:copy.db", "--state-dir", "state", "--progress", "none"],
                directory: dir.url.path)
            #expect(restore.status == 0, "\(restore.stderr)")
            let copies = try await EngineFixtures.memories(inStore: dir.path("copy.db"))
            var byOrigin: [String: Memory] = [:]
            for m in copies { if case .string(let origin) = m.metadata?["memport_source_id"] { byOrigin[origin] = m } }
            #expect(byOrigin.count == 4)
            #expect(byOrigin[ids[1]]?.metadata?["memport_lifecycle_state"] == "superseded")
            #expect(byOrigin[ids[1]]?.metadata?["memport_replaced_by"] == .string(ids[0]))
            #expect(byOrigin[ids[2]]?.metadata?["memport_lifecycle_state"] == "merged")
            #expect(byOrigin[ids[3]]?.metadata?["memport_synthesized"] == true)
            #expect(byOrigin[ids[0]]?.metadata?.keys.contains { $0.hasPrefix("memport_lifecycle") } == false)

            for extra in [[], ["--latest-only"]] {
                let verified = try await CommandRun.memport(
                    ["verify", "bk", "embedded:copy.db"] + extra, directory: dir.url.path)
                #expect(verified.status == 0, "\(extra): \(verified.stdout)\(verified.stderr)")
                let live = try await CommandRun.memport(
                    ["verify", server.baseURL, "embedded:copy.db"] + extra, environment: env, directory: dir.url.path)
                #expect(live.status == 0, "\(extra): \(live.stdout)\(live.stderr)")
            }
            let latest = try await CommandRun.memport(
                ["verify", server.baseURL, "embedded:copy.db", "--latest-only"], environment: env,
                directory: dir.url.path)
            #expect(latest.stdout.contains("latest only: 2 superseded or merged memories"), "\(latest.stdout)")
        }
    }

    /// A memory memport delivered stays delivered when Dream merges it into another: the lookup
    /// by import key (what a re-run does before it sends a unit again) finds merged records too,
    /// embedded and over HTTP, with a scope and without.
    @Test func aMergedMemoryIsStillFoundByItsImportKey() async throws {
        try await TemporaryDirectory.with { dir in
            let target = try EmbeddedTarget(path: dir.path("keys.db"))
            var ids: [String] = []
            for (text, key) in [("Works at Globex", "k-new"), ("Employed by Globex", "k-merged")] {
                let added = try await target.store.add(
                    AddRequest(
                        messages: [Message(role: .user, text: text)], scope: Scope(userID: "u"),
                        metadata: [MemoryFilter.importKeyField: .string(key)], infer: false),
                    in: .default)
                ids.append(try #require(added.results.first?.id))
            }
            _ = try await target.store.setLifecycle(
                id: ids[1], state: MemoryLifecycle.merged, synthesized: nil, replacedBy: .some(ids[0]), in: .default)
            #expect(try await target.memories(filter: .userID("u"), page: 1, pageSize: 10).count == 1)
            #expect(try await target.memories(importKey: "k-merged", scope: Scope(userID: "u")).map(\.id) == [ids[1]])
            #expect(try await target.memories(importKey: "k-merged", scope: nil).map(\.id) == [ids[1]])

            let server = try await ServeProcess.start(database: dir.path("keys.db"))
            defer { server.stop() }
            let http = try TargetFactory.open(server.baseURL, environment: ["MEM0_API_KEY": server.apiKey])
            let scoped = try await http.memories(importKey: "k-merged", scope: Scope(userID: "u"))
            let unscoped = try await http.memories(importKey: "k-merged", scope: nil)
            await http.close()
            #expect(scoped.map(\.id) == [ids[1]] && scoped.first?.lifecycleState == "merged")
            #expect(unscoped.map(\.id) == [ids[1]])
        }
    }
}
