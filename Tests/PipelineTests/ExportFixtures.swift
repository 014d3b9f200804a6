import Foundation
import MemoryAPI
import MemoryStore
import Pipeline
import TestSupport

/// Stores filled for the export, backup, migrate and verify tests, and a child-process runner
/// that records peak RSS.
enum ExportFixtures {
    /// Fills a store with `count` memories over `entities` users, agents and runs (every fourth
    /// carries a user and an agent at once), with metadata and `created_at` back-dated by hours:
    /// memory `i` reads `memory i: ...` and was created at 1_600_000_000 + i * 3_607. The first
    /// goes through the store's add API (schema, project); the rest are one SQL statement, as
    /// 10,000 adds through a debug build take minutes.
    static func fill(store path: String, count: Int, entities: Int = 50) async throws {
        let store = try MemoryStore(path: path)
        _ = try await store.add(
            AddRequest(
                messages: [Message(role: .user, text: "memory 0: fact number 0")], scope: Scope(userID: "user-0"),
                metadata: ["n": 0, "topic": "t0", "nested": ["k": true]], infer: false, timestamp: 1_600_000_000),
            in: .default)
        guard count > 1 else { return }
        var sql = "PRAGMA journal_mode=WAL; BEGIN;\n"
        for type in ["user", "agent", "run"] {
            sql += """
                INSERT OR IGNORE INTO entities (project, type, name, created_at, updated_at)
                WITH RECURSIVE e(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM e WHERE i + 1 < \(entities))
                SELECT (SELECT id FROM projects LIMIT 1), '\(type)', '\(type)-' || i, 1600000000, 1600000000 FROM e;

                """
        }
        sql += """
            INSERT INTO memories (id, project, memory, hash, user_id, agent_id, run_id, metadata, created_at, updated_at)
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count - 1))
            SELECT lower(hex(randomblob(16))), (SELECT id FROM projects LIMIT 1),
                'memory ' || i || ': fact number ' || (i * 7919 % 100003), lower(hex(randomblob(16))),
                CASE WHEN i % 4 IN (0, 3) THEN 'user-' || (i % \(entities)) END,
                CASE i % 4 WHEN 1 THEN 'agent-' || (i % \(entities)) WHEN 3 THEN 'agent-' || ((i % \(entities) + 7) % \(entities)) END,
                CASE WHEN i % 4 = 2 THEN 'run-' || (i % \(entities)) END,
                '{"n":' || i || ',"topic":"t' || (i % 13) || '","nested":{"k":' || CASE i % 2 WHEN 0 THEN 'true' ELSE 'false' END || '}}',
                1600000000 + i * 3607, 1600000000 + i * 3607 FROM n;
            INSERT INTO memories_fts (rowid, memory) SELECT seq, memory FROM memories WHERE seq > 1;
            COMMIT;
            """
        try sqlite(path, sql)
    }

    /// Adds `count` memories over `users` users with one SQL statement per batch (through the
    /// sqlite3 shell), for the stores too large to fill through the API in a test: one memory
    /// is added through the store first so the project and schema exist.
    static func bulkFill(store path: String, count: Int, users: Int) async throws {
        let store = try MemoryStore(path: path)
        _ = try await store.add(
            AddRequest(messages: [Message(role: .user, text: "seed")], scope: Scope(userID: "user-0"), infer: false),
            in: .default)
        var sql = "PRAGMA journal_mode=WAL; BEGIN;\n"
        sql += """
            INSERT OR IGNORE INTO entities (project, type, name, created_at, updated_at)
            WITH RECURSIVE u(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM u WHERE i + 1 < \(users))
            SELECT (SELECT id FROM projects LIMIT 1), 'user', 'user-' || i, 1600000000, 1600000000 FROM u;
            INSERT INTO memories (id, project, memory, hash, user_id, metadata, created_at, updated_at)
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count - 1))
            SELECT lower(hex(randomblob(16))), (SELECT id FROM projects LIMIT 1),
                'bulk memory ' || i || ' with some text to make the row a realistic size for an export test',
                lower(hex(randomblob(16))), 'user-' || (i % \(users)),
                '{"n":' || i || ',"source":"bulk"}', 1600000000 + i, 1600000000 + i FROM n;
            INSERT INTO memories_fts (rowid, memory) SELECT seq, memory FROM memories WHERE seq > 1;
            COMMIT;
            """
        try sqlite(path, sql)
    }

    /// Runs SQL through the sqlite3 shell.
    static func sqlite(_ path: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        input.fileHandleForWriting.write(Data(sql.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FixtureError("sqlite3 exited \(process.terminationStatus)") }
    }

    /// Runs the built `memport` binary, sampling its VmHWM (peak RSS, KiB) from /proc while it runs.
    static func memportPeakRSS(_ arguments: [String], directory: String) async throws -> (status: Int32, peakKiB: Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ServeProcess.binaryPath())
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        var peak = 0
        while process.isRunning {
            peak = max(peak, vmHWM(process.processIdentifier) ?? 0)
            try await Task.sleep(for: .milliseconds(10))
        }
        return (process.terminationStatus, peak)
    }

    /// The `VmHWM` line of /proc/PID/status, in KiB.
    static func vmHWM(_ pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }

    /// A fixture that could not be built.
    struct FixtureError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
