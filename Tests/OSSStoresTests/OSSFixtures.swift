import Foundation
import MemoryAPI
import MemoryStore
import Pipeline
import Reading
import TestSupport

/// The real parts of the OSS store tests: the `.venv-oss` Python (mem0ai 2.2.1, chromadb,
/// pgserver) that `scripts/oss-venv` sets up, the seeding script, the built `memport` binary,
/// and the memories a target ends up holding.
enum OSSFixtures {
    /// The package root (this file is Tests/OSSStoresTests/OSSFixtures.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The marker `scripts/oss-venv` writes once everything is installed and imports.
    static let marker = root.appendingPathComponent(".venv-oss/.memport-installed").path

    /// The venv's python, once `scripts/oss-venv` has installed it (`scripts/test` starts that
    /// install first thing, and waits for it before these tests).
    ///
    /// - Throws: `SeedError` saying to run `scripts/test` when it is not installed: these tests
    ///   fail, never skip, without the real stores.
    static func python() throws -> String {
        let path = root.appendingPathComponent(".venv-oss/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: path), FileManager.default.fileExists(atPath: marker)
        else {
            throw SeedError(
                message: "the OSS store venv (.venv-oss: mem0ai 2.2.1, chromadb, pgserver, psycopg) is not installed; "
                    + "run scripts/test, which installs it (or scripts/oss-venv alone), then these tests again")
        }
        return path
    }

    /// What a process printed and how it ended.
    struct Outcome {
        var status: Int32?
        var stdout: String
        var stderr: String
    }

    /// Runs a program to its end, collecting its output in files (no pipe deadlock).
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: String
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["MEM0_TELEMETRY"] = "False"
        env["HOME"] = directory
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("oss-\(UUID().uuidString).out")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("oss-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationReason == .uncaughtSignal ? nil : process.terminationStatus,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// Runs `scripts/oss/seed.py` with the venv's python.
    static func seed(_ arguments: [String], directory: String) throws -> Outcome {
        let outcome = try run(
            try python(), [root.appendingPathComponent("scripts/oss/seed.py").path] + arguments, directory: directory)
        guard outcome.status == 0 else {
            throw SeedError(message: "seed.py \(arguments.joined(separator: " ")) failed: \(outcome.stderr)")
        }
        return outcome
    }

    /// A seeding failure, with the script's stderr.
    struct SeedError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Runs the built `memport` binary.
    static func memport(_ arguments: [String], environment: [String: String] = [:], directory: String) throws
        -> Outcome
    {
        try run(try ServeProcess.binaryPath(), arguments, environment: environment, directory: directory)
    }

    /// Runs `memport` and SIGKILLs it after `delay`; nil status when it was killed.
    static func memportKilled(
        _ arguments: [String], after delay: Duration, environment: [String: String], directory: String
    ) async throws -> Int32? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ServeProcess.binaryPath())
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        KillTimer.kill(process.processIdentifier, after: delay)
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        return process.terminationReason == .uncaughtSignal ? nil : process.terminationStatus
    }

    /// Every memory in a memport store file (embedded target or `memport serve`'s database).
    static func memories(inStore path: String) async throws -> [Memory] {
        let store = try MemoryStore(path: path)
        return try await store.all(filter: nil, showExpired: true, limit: 10_000_000, in: .default)
    }

    /// One memory as the store held it, from the seeding script's read-back.
    struct Expected: Decodable {
        var id: String
        var memory: String
        var userID: String?
        var agentID: String?
        var runID: String?
        var metadata: [String: JSONValue]
        var createdAt: String?
        var updatedAt: String?
        var expirationDate: String?
        var role: String?
        var actorID: String?

        enum CodingKeys: String, CodingKey {
            case id, memory, metadata, role
            case userID = "user_id"
            case agentID = "agent_id"
            case runID = "run_id"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
            case expirationDate = "expiration_date"
            case actorID = "actor_id"
        }
    }

    /// The seeding script's read-back.
    struct Seeded: Decodable {
        var uri: String?
        var collection: String
        var live: [Expected]
        var deleted: [String]
    }

    static func seeded(_ path: String) throws -> Seeded {
        try JSONDecoder().decode(Seeded.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Seeds a Chroma store of `count` memories at `dir/chroma`; what it holds, from `expected.json`.
    @discardableResult
    static func seedChroma(in dir: TemporaryDirectory, count: Int) throws -> Seeded {
        _ = try seed(
            ["chroma", "--path", dir.path("chroma"), "--count", "\(count)", "--out", dir.path("expected.json")],
            directory: dir.url.path)
        return try seeded(dir.path("expected.json"))
    }

    /// Starts a PostgreSQL server in `pgdata` and seeds a pgvector `table` of `count` memories;
    /// what it holds. The caller stops the server (`pg-stop`).
    static func seedPgvector(in dir: TemporaryDirectory, pgdata: String, table: String, count: Int) throws -> Seeded {
        _ = try seed(
            [
                "pgvector", "--pgdata", pgdata, "--table", table, "--count", "\(count)", "--out",
                dir.path("expected.json"),
            ], directory: dir.url.path)
        return try seeded(dir.path("expected.json"))
    }

    /// Differences between what a target holds and what the store held: every live memory
    /// once (by `memport_source_id`), none of the deleted, text, scope, metadata, created_at.
    static func problems(_ memories: [Memory], expected: Seeded) -> [String] {
        var problems: [String] = []
        var byOrigin: [String: [Memory]] = [:]
        for m in memories {
            byOrigin[m.metadata?[Mem0DumpAdapter.sourceIDField]?.stringValue ?? "-", default: []].append(m)
        }
        if memories.count != expected.live.count {
            problems.append("\(memories.count) memories, the store holds \(expected.live.count) live ones")
        }
        for id in expected.deleted where byOrigin[id] != nil { problems.append("deleted \(id) was imported") }
        for want in expected.live {
            guard let got = byOrigin[want.id] else {
                problems.append("\(want.id) missing")
                continue
            }
            if got.count != 1 { problems.append("\(want.id) imported \(got.count) times") }
            let m = got[0]
            if m.memory != want.memory { problems.append("\(want.id) text \(m.memory) != \(want.memory)") }
            let scope = Scope(userID: want.userID, agentID: want.agentID, runID: want.runID)
            if m.scope != scope { problems.append("\(want.id) scope \(m.scope) != \(scope)") }
            let metadata = (m.metadata ?? [:]).filter { !$0.key.hasPrefix("memport_") }
            if metadata != want.metadata { problems.append("\(want.id) metadata \(metadata) != \(want.metadata)") }
            let wantCreated = want.createdAt.flatMap(MemoryTimestamp.parse).map {
                Int64($0.timeIntervalSince1970.rounded(.down))
            }
            let gotCreated = m.createdAt.map { Int64($0.timeIntervalSince1970.rounded(.down)) }
            if wantCreated != gotCreated {
                problems.append("\(want.id) created_at \(String(describing: gotCreated)) != \(want.createdAt ?? "-")")
            }
            if m.expirationDate != want.expirationDate {
                problems.append(
                    "\(want.id) expiration_date \(m.expirationDate ?? "-") != \(want.expirationDate ?? "-")")
            }
            let kept = m.metadata?["memport_oss"]?.objectValue
            if kept?["role"]?.stringValue != want.role { problems.append("\(want.id) role not kept") }
            if kept?["actor_id"]?.stringValue != want.actorID { problems.append("\(want.id) actor_id not kept") }
        }
        return problems
    }
}
