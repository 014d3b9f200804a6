import Foundation
import MemoryAPI
import MemoryStore
import Pipeline
import TestSupport
import Testing

/// The same delivery, target and reader flags on every command (issue 12), run through the binary.
@Suite(.serialized) struct DeliveryOptionsTests {
    /// A bad `--api-version` is a usage error, exit 2, on every command that talks to a target.
    @Test func aBadAPIVersionIsExit2OnEveryCommand() async throws {
        try await TemporaryDirectory.with { dir in
            try "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n".write(
                toFile: dir.path("a.jsonl"), atomically: true, encoding: .utf8)
            try "source: a.jsonl\noptions: {user_id: u}\n".write(
                toFile: dir.path("p.yaml"), atomically: true, encoding: .utf8)
            let target = "http://127.0.0.1:9"
            let commands: [[String]] = [
                ["import", "a.jsonl", "--user-id", "u", "--target", target],
                ["run", "p.yaml", "--target", target],
                ["resume", "job-x"],
                ["rejects", "job-x", "--replay"],
                ["restore", "bk", "--target", target],
                ["migrate", "--from", target, "--to", "embedded:m.db"],
                ["export", "--target", target, "--output", "out.jsonl"],
                ["backup", "--target", target, "--output", "bk"],
                ["verify", target, "embedded:m.db"],
            ]
            for command in commands {
                let run = try await CommandRun.memport(
                    command + ["--api-version", "v9"] + (command[0] == "verify" ? [] : ["--state-dir", "state"]),
                    environment: ["MEM0_API_KEY": "k"],
                    directory: dir.url.path)
                #expect(run.status == 2, "\(command[0]): \(run.stderr)")
                #expect(run.stderr.contains("api-version"), "\(command[0]): \(run.stderr)")
            }
            #expect(!FileManager.default.fileExists(atPath: dir.path("state")), "nothing was started")
        }
    }

    /// `--rate` and `--concurrency` on migrate and restore, `--rate 0` unpaced: both finish,
    /// exactly once.
    @Test func migrateAndRestoreTakeRateZeroAndConcurrency() async throws {
        try await TemporaryDirectory.with { dir in
            try await ExportFixtures.fill(store: dir.path("source.db"), count: 300, entities: 6)
            let state = dir.path("state")
            let migrate = try await CommandRun.memport(
                [
                    "migrate", "--from", "embedded:" + dir.path("source.db"), "--to", "embedded:" + dir.path("copy.db"),
                    "--rate", "0", "--concurrency", "3", "--chunk-size", "50", "--state-dir", state, "--progress",
                    "none", "--summary-json", dir.path("migrate.json"),
                ], directory: dir.url.path)
            #expect(migrate.status == 0, "\(migrate.stderr)")
            #expect(migrate.stdout.contains("see them: memport export --target embedded:"), "\(migrate.stdout)")
            #expect(try await EngineFixtures.memories(inStore: dir.path("copy.db")).count == 300)
            #expect(FileManager.default.fileExists(atPath: dir.path("migrate.json")))

            let backup = try await CommandRun.memport(
                [
                    "backup", "--target", "embedded:" + dir.path("source.db"), "--output", dir.path("bk"),
                    "--state-dir", state,
                ],
                directory: dir.url.path)
            #expect(backup.status == 0, "\(backup.stderr)")
            let server = try await ServeProcess.start()
            defer { server.stop() }
            let restore = try await CommandRun.memport(
                [
                    "restore", dir.path("bk"), "--target", server.baseURL, "--rate", "0", "--concurrency", "4",
                    "--state-dir", state, "--progress", "none",
                ], environment: ["MEM0_API_KEY": server.apiKey], directory: dir.url.path)
            #expect(restore.status == 0, "\(restore.stderr)")
            #expect(restore.stdout.contains("memories at \(server.baseURL)"), "\(restore.stdout)")
            #expect(try await EngineFixtures.memories(inStore: server.databasePath).count == 300)
            // A negative rate is a usage error.
            let negative = try await CommandRun.memport(
                ["restore", dir.path("bk"), "--target", server.baseURL, "--rate", "-5", "--state-dir", state],
                environment: ["MEM0_API_KEY": server.apiKey], directory: dir.url.path)
            #expect(negative.status == 2)
        }
    }

    /// An impossible reader limit is exit 2 in a dry run and in delivery alike, before anything
    /// is read or sent.
    @Test(arguments: [
        ["--max-record-mib", "0"], ["--workers", "0"], ["--max-add-bytes", "0"], ["--max-messages", "0"],
    ])
    func anImpossibleReaderLimitIsExit2InBothPipelines(flag: [String]) async throws {
        try await TemporaryDirectory.with { dir in
            _ = try EngineFixtures.chatLog(at: dir.path("chats.jsonl"), conversations: 3, messages: 2)
            let base = ["import", "chats.jsonl", "--user-id", "u", "--state-dir", "state"] + flag
            let dry = try await CommandRun.memport(base + ["--dry-run"], directory: dir.url.path)
            #expect(dry.status == 2, "\(dry.stderr)")
            let deliver = try await CommandRun.memport(
                base + ["--target", "embedded:m.db", "--progress", "none"], directory: dir.url.path)
            #expect(deliver.status == 2, "\(deliver.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.path("m.db")), "nothing was delivered")
        }
    }

    /// `--workers` is honoured by delivery as by the dry run: the same units either way.
    @Test func workersMeanTheSameInADryRunAndInDelivery() async throws {
        try await TemporaryDirectory.with { dir in
            let expected = try EngineFixtures.chatLog(at: dir.path("chats.jsonl"), conversations: 400, messages: 2)
            let base = ["import", "chats.jsonl", "--user-id", "u", "--workers", "3"]
            let dry = try await CommandRun.memport(
                base + ["--dry-run", "--summary-json", "dry.json"], directory: dir.url.path)
            #expect(dry.status == 0, "\(dry.stderr)")
            let summary = try JSONValue.parse(try Data(contentsOf: dir.url.appendingPathComponent("dry.json")))
            #expect(summary["units"] == .int(400))
            let deliver = try await CommandRun.memport(
                base + ["--target", "embedded:m.db", "--progress", "none", "--state-dir", "state"],
                directory: dir.url.path)
            #expect(deliver.status == 0, "\(deliver.stderr)")
            let memories = try await EngineFixtures.memories(inStore: dir.path("m.db"))
            #expect(EngineFixtures.exactlyOnce(memories, expected: expected, messagesPerUnit: 2).isEmpty)
        }
    }

    /// `memport run FILE --dry-run` reads the file's inputs as `import --dry-run` does and sends nothing.
    @Test func runDryRunChecksAPipelineFileWithoutSending() async throws {
        try await TemporaryDirectory.with { dir in
            _ = try EngineFixtures.chatLog(at: dir.path("chats.jsonl"), conversations: 5, messages: 2)
            try "source: chats.jsonl\ntarget: embedded:m.db\noptions: {user_id: u, workers: 2}\n".write(
                toFile: dir.path("p.yaml"), atomically: true, encoding: .utf8)
            let run = try await CommandRun.memport(
                ["run", "p.yaml", "--dry-run", "--state-dir", "state"], directory: dir.url.path)
            #expect(run.status == 0, "\(run.stderr)")
            let imported = try await CommandRun.memport(
                ["import", "chats.jsonl", "--user-id", "u", "--dry-run"], directory: dir.url.path)
            #expect(run.stdout == imported.stdout)
            #expect(!FileManager.default.fileExists(atPath: dir.path("m.db")))
            #expect(!FileManager.default.fileExists(atPath: dir.path("state")))
        }
    }
}
