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

    /// `--target mem0` (and `mem0` as a verify side) is the Mem0 the official `mem0` CLI talks
    /// to: `MEM0_BASE_URL` with the key in `MEM0_API_KEY`, so a CLI user needs no new settings.
    /// The job records the URL, so a resume under another `MEM0_BASE_URL` goes back to it.
    @Test func targetMem0IsTheCLIsBaseURL() async throws {
        try await TemporaryDirectory.with { dir in
            _ = try EngineFixtures.chatLog(at: dir.path("chats.jsonl"), conversations: 4, messages: 2)
            try await ServeProcess.with { server in
                let cli = ["MEM0_BASE_URL": server.baseURL + "/", "MEM0_API_KEY": server.apiKey]
                let imported = try await CommandRun.memport(
                    [
                        "import", "chats.jsonl", "--user-id", "u", "--target", "mem0", "--state-dir", "state",
                        "--progress", "none",
                    ], environment: cli, directory: dir.url.path)
                #expect(imported.status == 0, "\(imported.stderr)")
                #expect(try await EngineFixtures.memories(inStore: server.databasePath).count == 8)
                let jobs = try await CommandRun.memport(["jobs", "--state-dir", "state"], directory: dir.url.path)
                #expect(jobs.stdout.contains(server.baseURL), "the job records the URL: \(jobs.stdout)")

                // Another MEM0_BASE_URL later: the same command is another job (another host),
                // and resuming the first goes back to the host it recorded.
                let job = try #require(jobs.stdout.split(separator: " ").first.map(String.init))
                let resumed = try await CommandRun.memport(
                    ["resume", job, "--state-dir", "state", "--progress", "none"],
                    environment: ["MEM0_BASE_URL": "http://127.0.0.1:9", "MEM0_API_KEY": server.apiKey],
                    directory: dir.url.path)
                #expect(resumed.status == 0, "\(resumed.stderr)")
                #expect(try await EngineFixtures.memories(inStore: server.databasePath).count == 8)

                let exported = try await CommandRun.memport(
                    ["export", "--target", "mem0", "--output", "out.jsonl", "--state-dir", "state"], environment: cli,
                    directory: dir.url.path)
                #expect(exported.status == 0, "\(exported.stderr)")
                let lines = try String(contentsOfFile: dir.path("out.jsonl"), encoding: .utf8).split(separator: "\n")
                #expect(lines.count == 8)
                let verified = try await CommandRun.memport(
                    ["verify", "mem0", "out.jsonl"], environment: cli, directory: dir.url.path)
                #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
                #expect(verified.stdout.contains(server.baseURL), "\(verified.stdout)")
                let migrated = try await CommandRun.memport(
                    [
                        "migrate", "--from", "mem0", "--to", "embedded:copy.db", "--state-dir", "state", "--progress",
                        "none",
                    ], environment: cli, directory: dir.url.path)
                #expect(migrated.status == 0, "\(migrated.stderr)")
                #expect(try await EngineFixtures.memories(inStore: dir.path("copy.db")).count == 8)
            }

            // Without MEM0_BASE_URL it is the hosted platform: with no key, refused before any
            // call, naming the host.
            let hosted = try await CommandRun.memport(
                ["export", "--target", "mem0", "--output", "x.jsonl", "--state-dir", "state"],
                environment: ["MEM0_BASE_URL": "", "MEM0_API_KEY": ""], directory: dir.url.path)
            #expect(hosted.status != 0 && hosted.stderr.contains("https://api.mem0.ai"), "\(hosted.stderr)")

            // A MEM0_BASE_URL that is not a URL is a usage error on every command, naming it.
            let commands: [[String]] = [
                ["import", "chats.jsonl", "--user-id", "u", "--target", "mem0"],
                ["export", "--target", "mem0", "--output", "y.jsonl"],
                ["backup", "--target", "mem0", "--output", "bk"],
                ["migrate", "--from", "mem0", "--to", "embedded:m.db"],
                ["verify", "mem0", "embedded:m.db"],
            ]
            for command in commands {
                let run = try await CommandRun.memport(
                    command, environment: ["MEM0_BASE_URL": "localhost:8765", "MEM0_API_KEY": "k"],
                    directory: dir.url.path)
                #expect(run.status == 2, "\(command[0]): \(run.stderr)")
                #expect(run.stderr.contains("MEM0_BASE_URL"), "\(command[0]): \(run.stderr)")
            }
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
