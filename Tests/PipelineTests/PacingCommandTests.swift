import Foundation
import MemoryAPI
import Pipeline
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Issue 17 end to end: the `memport` binary against `memport serve --rate-limit` (a 429 is a
/// rate signal the pacer learns from) and `--fault-rate` (transient faults, retried without
/// giving up the run).
@Suite(.serialized) struct PacingCommandTests {
    static func serverStatistics(_ server: ServeProcess) async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: server.baseURL + "/_memport/stats")!)
        request.setValue("Token \(server.apiKey)", forHTTPHeaderField: "Authorization")
        let (data, _) = try await URLSession.shared.data(for: request)
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    static func summary(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any] ?? [:]
    }

    /// Imports a generated chat log of `conversations` × `messages` into `server` at concurrency
    /// 16: the run, what is not exactly once in the server's store, and the summary.
    static func importChats(
        into server: ServeProcess, in dir: TemporaryDirectory, user: String, conversations: Int, messages: Int
    ) async throws -> (CommandRun, [String], [String: Any]) {
        let expected = try EngineFixtures.chatLog(
            at: dir.path("chats.jsonl"), conversations: conversations, messages: messages)
        let run = try await CommandRun.memport(
            [
                "import", dir.path("chats.jsonl"), "--user-id", user, "--target", server.baseURL,
                "--state-dir", dir.path("state"), "--progress", "none", "--concurrency", "16",
                "--summary-json", dir.path("summary.json"),
            ], environment: ["MEM0_API_KEY": server.apiKey], directory: dir.url.path)
        let memories = try await EngineFixtures.memories(inStore: server.databasePath)
        let problems = EngineFixtures.exactlyOnce(memories, expected: expected, messagesPerUnit: messages)
        return (run, problems, try Self.summary(dir.path("summary.json")))
    }

    /// An import into a server limited to 20 requests a second (bursts of 20): the pacer meets
    /// the limit, slows to it, every message lands once, and the summary counts the 429s met,
    /// as many as the server says it refused.
    @Test func importAgainstARateLimitEndsExactlyOnceAndCountsThe429s() async throws {
        try await TemporaryDirectory.with { dir in
            let server = try await ServeProcess.start(arguments: ["--rate-limit", "20/s"])
            defer { server.stop() }
            let (run, problems, summary) = try await Self.importChats(
                into: server, in: dir, user: "rita", conversations: 100, messages: 2)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(problems.isEmpty, "\(problems)")
            let met = summary["rate_limited"] as? Int ?? -1
            let stats = try await Self.serverStatistics(server)
            #expect(met > 0, "the burst of 20 runs out: the import meets the limit")
            #expect(stats["rate_limited"] as? Int == met, "the client counts every 429 the server gave")
            #expect(stats["rate_limit"] as? String == "20/s")
            #expect(run.stdout.contains("rate-limited (429) \(met)"))
        }
    }

    /// Through a fifth of calls failing (503s and dropped connections), an import finishes in
    /// one run with every message once.
    @Test func importThroughTransientFaultsFinishesInOneRun() async throws {
        try await TemporaryDirectory.with { dir in
            let server = try await ServeProcess.start(arguments: ["--fault-rate", "0.2", "--fault-seed", "17"])
            defer { server.stop() }
            let (run, problems, summary) = try await Self.importChats(
                into: server, in: dir, user: "tess", conversations: 400, messages: 3)
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            #expect(problems.isEmpty, "\(problems)")
            #expect(summary["rate_limited"] as? Int == 0, "faults are not rate signals")
            #expect((summary["retries"] as? Int ?? 0) > 0)
            let stats = try await Self.serverStatistics(server)
            #expect((stats["faults_unavailable"] as? Int ?? 0) > 0 && (stats["faults_dropped"] as? Int ?? 0) > 0)
        }
    }

    /// A migration into a server failing a fifth of its calls finishes in one run, identical.
    @Test func migrationThroughTransientFaultsFinishesInOneRun() async throws {
        try await TemporaryDirectory.with { dir in
            try await ExportFixtures.fill(store: dir.path("from.db"), count: 400, entities: 20)
            let from = try await ServeProcess.start(database: dir.path("from.db"), apiKeys: ["from-key"])
            defer { from.stop() }
            let to = try await ServeProcess.start(
                apiKeys: ["to-key"], arguments: ["--fault-rate", "0.2", "--fault-seed", "23"])
            defer { to.stop() }
            let env = ["FROM_KEY": "from-key", "TO_KEY": "to-key"]
            let run = try await CommandRun.memport(
                [
                    "migrate", "--from", from.baseURL, "--to", to.baseURL, "--from-api-key-env", "FROM_KEY",
                    "--to-api-key-env", "TO_KEY", "--state-dir", dir.path("state"), "--progress", "none",
                ], environment: env, directory: dir.url.path)
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            #expect(try await EngineFixtures.memories(inStore: to.databasePath).count == 400)
            let verify = try await EngineFixtures.memport(
                ["verify", "embedded:" + dir.path("from.db"), "embedded:" + to.databasePath],
                environment: env, directory: dir.url.path)
            #expect(verify == 0)
        }
    }
}
