import Foundation
import MemoryAPI
import MemoryStore
import Pipeline
import Reading
import TestSupport
import Testing

/// End-to-end runs of `memport export`, `backup`, `restore`, `migrate` and `verify` against real
/// `memport serve` processes and embedded stores (issue 7).
@Suite(.serialized) struct ExportCommandTests {
    /// 10,000 memories over 50 users, agents and runs, with metadata and back-dated
    /// timestamps, backed up over HTTP and restored into an empty server: verify says identical.
    @Test func backupRestoredIntoAnEmptyServerVerifiesIdentical() async throws {
        try await TemporaryDirectory.with { dir in
            try await ExportFixtures.fill(store: dir.path("source.db"), count: 10_000)
            let source = try await ServeProcess.start(database: dir.path("source.db"))
            defer { source.stop() }
            let empty = try await ServeProcess.start()
            defer { empty.stop() }
            let env = ["MEM0_API_KEY": source.apiKey]
            let state = dir.path("state")
            let backup = try await EngineFixtures.memport(
                ["backup", "--target", source.baseURL, "--output", dir.path("backup"), "--gzip", "--state-dir", state],
                environment: env, directory: dir.url.path)
            #expect(backup == 0)
            let manifest = try BackupManifest.verified(directory: dir.path("backup"))
            #expect(manifest.total == 10_000)
            #expect(manifest.source == source.baseURL)
            let mode =
                try FileManager.default.attributesOfItem(atPath: dir.path("backup/memories.jsonl.gz"))[
                    .posixPermissions] as? Int
            #expect(mode == 0o600)

            let restore = try await EngineFixtures.memport(
                [
                    "restore", dir.path("backup"), "--target", empty.baseURL, "--state-dir", state, "--progress",
                    "none", "--concurrency", "16",
                ], environment: env, directory: dir.url.path)
            #expect(restore == 0)
            let restored = try await EngineFixtures.memories(inStore: empty.databasePath)
            #expect(restored.count == 10_000)
            // created_at kept to the second, through `timestamp`.
            let sample = try #require(restored.first { $0.memory.hasPrefix("memory 4242:") })
            let created = try #require(sample.createdAt).timeIntervalSince1970
            #expect(Int64(created.rounded(.down)) == Int64(1_615_300_894), "1_600_000_000 + 4242 * 3_607")

            let verify = try await EngineFixtures.memport(
                ["verify", source.baseURL, empty.baseURL, "--report-json", dir.path("report.json")],
                environment: env, directory: dir.url.path)
            #expect(verify == 0)
            let report = try JSONValue.parse(try Data(contentsOf: dir.url.appendingPathComponent("report.json")))
            #expect(report["identical"] == .bool(true))
            #expect(report["matched"] == .int(10_000))

            // A second restore adds nothing (import keys), and verify still passes.
            let again = try await EngineFixtures.memport(
                ["restore", dir.path("backup"), "--target", empty.baseURL, "--state-dir", state, "--progress", "none"],
                environment: env, directory: dir.url.path)
            #expect(again == 0)
            #expect(try await EngineFixtures.memories(inStore: empty.databasePath).count == 10_000)
            // The backup itself verifies against the source.
            #expect(
                try await EngineFixtures.memport(
                    ["verify", dir.path("backup"), source.baseURL], environment: env, directory: dir.url.path) == 0)
        }
    }

    /// An export from a server that fails a fifth of its calls (503s, dropped connections): the pages
    /// requested ahead are retried like any other call, and the file holds every memory once.
    @Test func exportFromAFailingServerHoldsEveryMemoryOnce() async throws {
        try await TemporaryDirectory.with { dir in
            try await ExportFixtures.fill(store: dir.path("s.db"), count: 150, entities: 12)
            let server = try await ServeProcess.start(
                database: dir.path("s.db"), arguments: ["--fault-rate", "0.2", "--fault-seed", "5"])
            defer { server.stop() }
            let status = try await EngineFixtures.memport(
                [
                    "export", "--target", server.baseURL, "--output", dir.path("all.jsonl"), "--page-size", "7",
                    "--state-dir", dir.path("state"),
                ], environment: ["MEM0_API_KEY": server.apiKey], directory: dir.url.path)
            #expect(status == 0)
            let ids = ExporterTests.readBack(dir.path("all.jsonl"))
            let all = try await EngineFixtures.memories(inStore: server.databasePath)
            #expect(ids.count == 150 && Set(ids) == Set(all.map(\.id)))
        }
    }

    /// A migration into a server failing 20% of calls, interrupted twice and re-run, ends with
    /// the target identical to the source.
    @Test func interruptedMigrationThroughFaultsVerifiesIdentical() async throws {
        try await TemporaryDirectory.with { dir in
            try await ExportFixtures.fill(store: dir.path("from.db"), count: 400, entities: 20)
            let from = try await ServeProcess.start(database: dir.path("from.db"), apiKeys: ["from-key"])
            defer { from.stop() }
            let to = try await ServeProcess.start(
                apiKeys: ["to-key"], arguments: ["--fault-rate", "0.2", "--fault-seed", "11"])
            defer { to.stop() }
            let env = ["FROM_KEY": "from-key", "TO_KEY": "to-key", "MEM0_API_KEY": "wrong"]
            let args = [
                "migrate", "--from", from.baseURL, "--to", to.baseURL, "--from-api-key-env", "FROM_KEY",
                "--to-api-key-env", "TO_KEY", "--state-dir", dir.path("state"), "--progress", "none",
            ]
            var killed = 0
            for delay in [300, 800] {
                let status = try await EngineFixtures.memport(
                    args, environment: env, directory: dir.url.path, killAfter: .milliseconds(delay))
                if status == nil { killed += 1 }
            }
            #expect(killed > 0, "a run was killed mid-flight")
            var status: Int32? = 5
            var runs = 0
            while status != 0 && runs < 5 {
                status = try await EngineFixtures.memport(args, environment: env, directory: dir.url.path)
                runs += 1
            }
            #expect(status == 0)
            let moved = try await EngineFixtures.memories(inStore: to.databasePath)
            #expect(moved.count == 400)
            let verify = try await EngineFixtures.memport(
                [
                    "verify", "embedded:" + dir.path("from.db"), "embedded:" + to.databasePath, "--report-json",
                    dir.path("report.json"),
                ], environment: env, directory: dir.url.path)
            #expect(verify == 0)
        }
    }

    /// A backup whose data file was altered, or lost, is refused before anything is imported,
    /// naming the file.
    @Test func corruptedBackupIsRefusedNamingTheFile() async throws {
        try await TemporaryDirectory.with { dir in
            try await ExportFixtures.fill(store: dir.path("a.db"), count: 40, entities: 4)
            let state = dir.path("state")
            #expect(
                try await EngineFixtures.memport(
                    [
                        "backup", "--target", "embedded:" + dir.path("a.db"), "--output", dir.path("bk"), "--state-dir",
                        state,
                    ],
                    directory: dir.url.path) == 0)
            let file = dir.path("bk/memories.jsonl")
            var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            bytes[bytes.count / 2] ^= 0x20
            try bytes.write(to: URL(fileURLWithPath: file))
            let (status, stderr) = try await Self.run(
                ["restore", dir.path("bk"), "--target", "embedded:" + dir.path("b.db"), "--state-dir", state],
                directory: dir.url.path)
            #expect(status != 0)
            #expect(stderr.contains("memories.jsonl") && stderr.contains("corrupted"))
            let restored =
                FileManager.default.fileExists(atPath: dir.path("b.db"))
                ? try await EngineFixtures.memories(inStore: dir.path("b.db")) : []
            #expect(restored.isEmpty, "nothing imported from a corrupted backup")
            try FileManager.default.removeItem(atPath: file)
            let (missing, message) = try await Self.run(
                ["restore", dir.path("bk"), "--target", "embedded:" + dir.path("b.db"), "--state-dir", state],
                directory: dir.url.path)
            #expect(missing != 0)
            #expect(message.contains("memories.jsonl") && message.contains("missing"))
        }
    }

    /// A bad `--filters` is exit 2 naming the JSON path, before the target is touched.
    @Test func badFilterIsExit2NamingThePath() async throws {
        try await TemporaryDirectory.with { dir in
            let (status, stderr) = try await Self.run(
                [
                    "export", "--target", "embedded:" + dir.path("x.db"), "--output", dir.path("out.jsonl"),
                    "--filters", #"{"AND": [{"user_id": "a"}, {"created_at": {"bogus": 1}}]}"#,
                ], directory: dir.url.path)
            #expect(status == 2)
            #expect(stderr.contains("AND[1]"), "\(stderr)")
        }
    }

    /// Peak RSS of `memport export` barely grows from 20,000 to 200,000 memories: pages stream
    /// to the file and de-duplication keeps a bounded window.
    @Test func exportRunsInConstantMemory() async throws {
        try await TemporaryDirectory.with { dir in
            var peaks: [Int] = []
            for count in [20_000, 200_000] {
                let db = dir.path("s\(count).db")
                try await ExportFixtures.bulkFill(store: db, count: count, users: 20)
                let (status, peak) = try await ExportFixtures.memportPeakRSS(
                    [
                        "export", "--target", "embedded:" + db, "--output", dir.path("out\(count).jsonl.gz"), "--gzip",
                        "--state-dir", dir.path("state"),
                    ], directory: dir.url.path)
                #expect(status == 0)
                peaks.append(peak)
                let lines = try Self.countLines(gzip: dir.path("out\(count).jsonl.gz"))
                #expect(lines == count)
            }
            // Ten times the memories: the peak may grow by a few MiB of allocator noise, not by
            // the 10x a buffered export would need.
            #expect(peaks[1] < peaks[0] + 16 * 1024, "peak RSS \(peaks[0]) KiB at 20,000, \(peaks[1]) KiB at 200,000")
        }
    }

    static func countLines(gzip path: String) throws -> Int {
        let stream = try ByteStream(InputSource(path))
        var n = 0
        while let chunk = try stream.nextChunk() { n += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
        return n
    }

    /// Runs the binary and returns its status and stderr.
    static func run(_ arguments: [String], environment: [String: String] = [:], directory: String) async throws -> (
        Int32, String
    ) {
        let process = try EngineFixtures.command(arguments, environment: environment, directory: directory)
        let errPath = directory + "/stderr-\(UUID().uuidString.prefix(6))"
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        let text = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return (process.terminationStatus, text)
    }
}
