import Foundation
import Pipeline
import TestSupport
import Testing

/// Import keys, job ids and reject keys across versions: `Tests/Fixtures/ledger-v2` holds a
/// state directory and an embedded target that memport 0.1.0 wrote with its hand-written SHA-256,
/// six imports read from stdin (so no absolute path enters a key):
///
/// ```
/// memport import - --state-dir state --target embedded:target.db --progress none ARGS < FILE
/// ```
///
/// Running the same commands again with this build must find every job by its id, every unit by
/// its key and every reject by its key: nothing is sent, nothing is rejected twice.
extension ImportKeyTests {
    static let ledgerJobs: [(file: String, arguments: [String], job: String)] = [
        ("chats/openai-cases.jsonl", ["--preset", "openai", "--user-id", "key-fixture"], "job-17bd7ca8edc6"),
        (
            "chats/openai-cases.jsonl", ["--preset", "openai", "--user-id", "key-fixture", "--max-messages", "1"],
            "job-23dddb869d40"
        ),
        ("chats/chatgpt-cases.json", ["--preset", "chatgpt", "--user-id", "key-fixture"], "job-80897b02d592"),
        ("chats/claude-cases.json", ["--preset", "claude", "--user-id", "key-fixture"], "job-8cc923d4db13"),
        ("chats/sharegpt-cases.json", ["--preset", "sharegpt", "--user-id", "key-fixture"], "job-36579e38a7de"),
        ("mem0-cli/list.json", ["--preset", "mem0"], "job-bee488b1fc18"),
    ]

    @Test func aRerunOverALedgerFromBeforeSendsNothing() async throws {
        try await TemporaryDirectory.with { dir in
            let fixture = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/ledger-v2")
            for name in ["state", "target.db"] {
                try FileManager.default.copyItem(
                    at: fixture.appendingPathComponent(name), to: dir.url.appendingPathComponent(name))
            }
            let state = dir.url.appendingPathComponent("state")
            for job in Self.ledgerJobs {
                let before = try await Self.ledgerView(state, job: job.job)
                #expect(!before.counts.isEmpty, "the fixture holds \(job.job)")
                let input = try String(
                    contentsOf: Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/\(job.file)"),
                    encoding: .utf8)
                let run = try await CommandRun.memport(
                    ["import", "-"] + job.arguments + [
                        "--state-dir", "state", "--target", "embedded:target.db", "--progress", "none",
                        "--summary-json", "summary.json",
                    ], directory: dir.url.path, stdin: input)
                #expect(run.status == 0, "\(job.job): \(run.stderr)")
                let summary = try #require(
                    try JSONSerialization.jsonObject(
                        with: Data(contentsOf: dir.url.appendingPathComponent("summary.json")))
                        as? [String: Any])
                #expect(summary["job_id"] as? String == job.job, "the job id is the one made before")
                #expect(summary["confirmed"] as? Int == 0, "\(job.job) sent \(summary["confirmed"] ?? "?")")
                #expect(summary["nothing_new"] as? Bool == true, "\(job.job): \(run.stdout)")
                let after = try await Self.ledgerView(state, job: job.job)
                #expect(after.counts == before.counts, "\(job.job): no unit with a new key")
                #expect(after.rejects == before.rejects, "\(job.job): the same reject keys")
            }
        }
    }

    /// A job's unit counts by state and its reject keys.
    static func ledgerView(_ state: URL, job: String) async throws -> (counts: [UnitState: Int], rejects: Set<String>) {
        let ledger = try Ledger(directory: state)
        let counts = try await ledger.counts(jobID: job)
        let rejects = Set(try await ledger.rejects(jobID: job).map(\.key))
        return (counts, rejects)
    }
}
