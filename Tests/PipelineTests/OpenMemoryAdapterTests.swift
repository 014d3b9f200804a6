import Foundation
import MemoryAPI
import Pipeline
import Reading
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

    /// Zips written at test time by Python's `zipfile`, the way OpenMemory wrote them and the
    /// ways other tools rewrite them: deflated or stored, zip64 records, and data descriptors
    /// (a zip streamed to a pipe); each reads the same memories, and each cut short keeps the
    /// memories before the cut and rejects at its offset.
    @Test func zipsWrittenByPythonReadTheSameAndTruncatedOnesRejectAtTheCut() throws {
        let dir = try Fixtures.tempDir()
        let json = Fixtures.sample("openmemory-memories.json")
        let script = """
            import gzip, io, json, sys, zipfile
            src, out = sys.argv[1], sys.argv[2]
            data = open(src, "rb").read()
            doc = json.loads(data)
            lines = b"".join(
                json.dumps({"id": m["id"], "content": m["content"], "metadata": m["metadata"],
                            "created_at": m["created_at"], "updated_at": m["updated_at"], "state": m["state"],
                            "app": None, "categories": []}).encode() + b"\\n" for m in doc["memories"])
            def write(name, method, zip64=False, stream=False, with_lines=False):
                target = io.BytesIO()
                class Pipe(io.RawIOBase):
                    def writable(self): return True
                    def write(self, b): return target.write(b)
                with zipfile.ZipFile(Pipe() if stream else target, "w", method) as z:
                    with z.open("memories.json", "w", force_zip64=zip64) as f: f.write(data)
                    if with_lines:
                        with z.open("memories.jsonl.gz", "w", force_zip64=zip64) as f: f.write(gzip.compress(lines))
                open(f"{out}/{name}", "wb").write(target.getvalue())
            write("memories_export_alice-deflated.zip", zipfile.ZIP_DEFLATED)
            write("memories_export_alice-stored.zip", zipfile.ZIP_STORED)
            write("memories_export_alice-zip64.zip", zipfile.ZIP_DEFLATED, zip64=True)
            write("memories_export_alice-streamed.zip", zipfile.ZIP_DEFLATED, stream=True)
            write("memories_export_alice-lines.zip", zipfile.ZIP_DEFLATED, zip64=True, with_lines=True)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, json, dir.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let plain = Fixtures.run([json], Fixtures.options(user: nil))
        #expect(plain.reports.first?.preset == .openmemory && plain.texts.count == 3)
        for variant in ["deflated", "stored", "zip64", "streamed", "lines"] {
            let path = dir.appendingPathComponent("memories_export_alice-\(variant).zip").path
            let run = Fixtures.run([path], Fixtures.options(user: nil))
            #expect(run.reports.first?.preset == .openmemory, "\(variant)")
            #expect(run.rejects.isEmpty && run.failures.isEmpty, "\(variant): \(run.rejects) \(run.failures)")
            #expect(run.texts == plain.texts, "\(variant)")
            #expect(run.adds.allSatisfy { $0.scope == Scope(userID: "alice") }, "\(variant)")
            #expect(run.skipped == plain.skipped, "\(variant)")
            // Cut short: what was read before the cut counts, the cut is one located reject.
            let whole = try Data(contentsOf: URL(fileURLWithPath: path))
            for percent in [20, 50, 80, 97] {
                let cut = dir.appendingPathComponent("memories_export_alice-\(variant)-\(percent).zip").path
                try whole.prefix(whole.count * percent / 100).write(to: URL(fileURLWithPath: cut))
                let short = Fixtures.run([cut], Fixtures.options(user: nil))
                #expect(short.texts == Array(plain.texts.prefix(short.texts.count)), "\(variant) \(percent)%")
                let problems = short.rejects.map(\.locator) + short.failures.compactMap(\.locator)
                #expect(problems.count == 1, "\(variant) \(percent)%: \(short.rejects) \(short.failures)")
                #expect(
                    problems.allSatisfy { $0.file.hasSuffix("-\(percent).zip") || $0.file.contains("-\(percent).zip") })
            }
        }
    }

    @Test func emptyZipAndEmptyEntryAreLocatedRejects() throws {
        let dir = try Fixtures.tempDir()
        let script = """
            import sys, zipfile
            out = sys.argv[1]
            with zipfile.ZipFile(f"{out}/memories_export_x.zip", "w") as z: z.writestr("other.txt", "hi")
            with zipfile.ZipFile(f"{out}/memories_export_y.zip", "w") as z: z.writestr("memories.json", "")
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, dir.path]
        try process.run()
        process.waitUntilExit()
        for name in ["memories_export_x.zip", "memories_export_y.zip"] {
            let run = Fixtures.run([dir.appendingPathComponent(name).path], Fixtures.options(user: nil))
            #expect(run.units.isEmpty)
            let located = run.rejects.map(\.locator) + run.failures.compactMap(\.locator)
            #expect(
                located.count == 1 && located.allSatisfy { $0.file.contains(name) }, "\(run.rejects) \(run.failures)")
        }
    }
}
