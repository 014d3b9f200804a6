import Foundation
import MemoryAPI
import Pipeline
import Reading
import TestSupport
import Testing

/// PostgreSQL + pgvector tables written by the real Mem0 OSS `Memory` (mem0ai 2.2.1, infer=False)
/// into a real server started with `pgserver`, listening on a Unix socket, read by `memport`.
@Suite(.serialized) struct PostgresReaderTests {
    /// Seeds a table on a fresh server, runs `body` with the socket URL, stops the server.
    func withSeededServer(
        table: String, count: Int, _ body: (TemporaryDirectory, String, OSSFixtures.Seeded) async throws -> Void
    ) async throws {
        try await TemporaryDirectory.with { dir in
            let pgdata = dir.path("pgdata")
            defer { _ = try? OSSFixtures.seed(["pg-stop", "--pgdata", pgdata], directory: dir.url.path) }
            let expected = try OSSFixtures.seedPgvector(in: dir, pgdata: pgdata, table: table, count: count)
            // The form the issue names: user, no host in the authority, the socket directory as host.
            try await body(dir, "postgresql://postgres@/postgres?host=\(pgdata)", expected)
        }
    }

    @Test
    func aPgvectorTableImportsIntoEmbeddedAndServeExactlyAsTheStoreHoldsIt() async throws {
        try await withSeededServer(table: "memories", count: 70) { dir, url, expected in
            #expect(expected.live.count > 40)
            let embedded = dir.path("embedded.db")
            let run = try OSSFixtures.memport(
                [
                    "import", url, "--collection", "memories", "--target", "embedded:\(embedded)", "--state-dir",
                    dir.path("state"), "--progress", "none", "--summary-json", dir.path("summary.json"),
                ], directory: dir.url.path)
            #expect(run.status == 0, "\(run.stderr)")
            let problems = OSSFixtures.problems(try await OSSFixtures.memories(inStore: embedded), expected: expected)
            #expect(problems.isEmpty, "\(problems)")

            // Into memport serve (20 ms a call), SIGKILLed twice mid-migration, then run again.
            let server = try await ServeProcess.start(arguments: ["--latency-ms", "20"])
            defer { server.stop() }
            let env = ["MEM0_API_KEY": server.apiKey]
            let args = [
                "migrate", "--from", url + "&table=memories", "--to", server.baseURL, "--state-dir",
                dir.path("state2"), "--progress", "none", "--chunk-size", "10", "--concurrency", "2",
            ]
            var kills = 0
            for delay in [300, 700] {
                let status = try await OSSFixtures.memportKilled(
                    args, after: .milliseconds(delay), environment: env, directory: dir.url.path)
                if status == nil { kills += 1 }
            }
            #expect(kills > 0, "a run was killed mid-flight")
            let migrate = try OSSFixtures.memport(args, environment: env, directory: dir.url.path)
            #expect(migrate.status == 0, "\(migrate.stderr)")
            let served = OSSFixtures.problems(
                try await OSSFixtures.memories(inStore: server.databasePath), expected: expected)
            #expect(served.isEmpty, "\(served)")
            let verify = try OSSFixtures.memport(
                ["verify", url, server.baseURL, "--collection", "memories"], environment: env, directory: dir.url.path)
            #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
            let verifyEmbedded = try OSSFixtures.memport(
                ["verify", "embedded:\(embedded)", url + "&table=memories"], directory: dir.url.path)
            #expect(verifyEmbedded.status == 0, "\(verifyEmbedded.stdout) \(verifyEmbedded.stderr)")
        }
    }

    @Test
    func thePasswordNeverReachesTheLedgerTheSummaryOrTheOutput() async throws {
        try await withSeededServer(table: "mem0", count: 12) { dir, _, expected in
            // pgserver trusts local connections, so a password in the URL is carried, never needed.
            let secret = "hunter2-\(UUID().uuidString.prefix(6))"
            let url = "postgresql://postgres:\(secret)@/postgres?host=\(dir.path("pgdata"))"
            let run = try OSSFixtures.memport(
                [
                    "import", url, "--target", "embedded:\(dir.path("t.db"))", "--state-dir", dir.path("state"),
                    "--progress", "plain", "--summary-json", dir.path("summary.json"),
                ], directory: dir.url.path)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try await OSSFixtures.memories(inStore: dir.path("t.db")).count == expected.live.count)
            #expect(!run.stdout.contains(secret) && !run.stderr.contains(secret))
            for file in try FileManager.default.subpathsOfDirectory(atPath: dir.path("state")) + ["../summary.json"] {
                let data = (try? Data(contentsOf: URL(fileURLWithPath: dir.path("state/\(file)")))) ?? Data()
                #expect(data.range(of: Data(secret.utf8)) == nil, "the password is in \(file)")
            }
            let refused = try OSSFixtures.memport(
                ["import", "postgresql://nobody:\(secret)@127.0.0.1:1/db", "--dry-run"], directory: dir.url.path)
            #expect(refused.status == 3)
            #expect(refused.stderr.contains("cannot connect to PostgreSQL at 127.0.0.1:1"), "\(refused.stderr)")
            #expect(!refused.stderr.contains(secret))
        }
    }

    @Test
    func aMissingTableNamesTheTablesThereAndAPayloadWithoutDataIsALocatedReject() async throws {
        try await withSeededServer(table: "mem0", count: 12) { dir, url, expected in
            let missing = try OSSFixtures.memport(
                ["import", url + "&table=memories", "--target", "embedded:\(dir.path("t.db"))"], directory: dir.url.path
            )
            #expect(missing.status == 3)
            #expect(missing.stderr.contains("no table memories"), "\(missing.stderr)")
            #expect(missing.stderr.contains("tables with a payload column: mem0"), "\(missing.stderr)")
            #expect(!missing.stderr.contains("mem0migrations"))

            let broken = "00000000-0000-4000-8000-00000000dead"
            _ = try OSSFixtures.seed(
                [
                    "pg-sql", "--pgdata", dir.path("pgdata"), "--sql",
                    "INSERT INTO mem0 (id, payload) VALUES ('\(broken)', '{\"user_id\": \"zed\", \"hash\": \"x\"}')",
                ], directory: dir.url.path)
            let run = try OSSFixtures.memport(
                [
                    "import", url, "--target", "embedded:\(dir.path("t.db"))", "--state-dir", dir.path("state"),
                    "--progress", "none", "--fail-on-rejects",
                ], directory: dir.url.path)
            #expect(run.status == 6, "\(run.stderr)")
            #expect(try await OSSFixtures.memories(inStore: dir.path("t.db")).count == expected.live.count)
            let rejects = try String(
                contentsOfFile: try #require(
                    FileManager.default.subpathsOfDirectory(atPath: dir.path("state")).first {
                        $0.hasSuffix("rejects.ndjson")
                    }.map { dir.path("state/\($0)") }), encoding: .utf8)
            #expect(rejects.contains("missing_data"))
            #expect(rejects.contains(broken))
        }
    }

    @Test func aURLThatRefusesIsExit3() throws {
        let outcome = try OSSFixtures.memport(
            ["import", "postgres://memport@127.0.0.1:1/none?connect_timeout=2", "--dry-run"],
            directory: FileManager.default.temporaryDirectory.path)
        #expect(outcome.status == 3)
        #expect(outcome.stderr.contains("store_connection"), "\(outcome.stderr)")
    }
}
