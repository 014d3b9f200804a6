import Foundation
import GRDB
import MemoryAPI
import Pipeline
import Reading
import TestSupport
import Testing

/// `memport export` of self-hosted Mem0 stores (`StorePager`): Chroma and PostgreSQL + pgvector
/// written by the real Mem0 OSS `Memory` (mem0ai 2.2.1, infer=False), and the TypeScript SDK's
/// store built from its DDL, exported by the real `memport` binary to NDJSON, JSON and CSV,
/// killed mid-export and resumed.
@Suite(.serialized) struct StorePagerTests {
    // MARK: - Reading the files back

    /// The memories of an export file: NDJSON lines or one JSON array.
    static func exported(_ path: String) throws -> [Memory] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let decoder = JSONDecoder()
        if data.first == UInt8(ascii: "[") { return try decoder.decode([Memory].self, from: data) }
        return try data.split(separator: 0x0A).map { try decoder.decode(Memory.self, from: Data($0)) }
    }

    /// What an export of the store must hold: every live memory once under its point id, none of
    /// the deleted, texts, scopes, metadata, `created_at`, `updated_at`, expiry, role and actor as
    /// the store holds them, and the hash kept.
    static func problems(_ memories: [Memory], expected: OSSFixtures.Seeded) -> [String] {
        // The point id is the record's id; `OSSFixtures.problems` matches by origin id.
        let byOrigin = memories.map { m -> Memory in
            var copy = m
            copy.metadata = (m.metadata ?? [:]).merging([Mem0DumpAdapter.sourceIDField: .string(m.id)]) { $1 }
            return copy
        }
        var problems = OSSFixtures.problems(byOrigin, expected: expected)
        let wanted = Dictionary(expected.live.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for m in memories {
            guard let want = wanted[m.id] else { continue }
            let updated = want.updatedAt.flatMap(MemoryTimestamp.parse).map { Int64($0.timeIntervalSince1970) }
            if m.updatedAt.map({ Int64($0.timeIntervalSince1970) }) != updated {
                problems.append("\(m.id) updated_at \(String(describing: m.updatedAt)) != \(want.updatedAt ?? "-")")
            }
            if m.hash == nil { problems.append("\(m.id) has no hash") }
        }
        return problems
    }

    static func run(_ arguments: [String], in dir: TemporaryDirectory, environment: [String: String] = [:]) throws
        -> OSSFixtures.Outcome
    {
        try OSSFixtures.memport(arguments, environment: environment, directory: dir.url.path)
    }

    /// Exports `source` to NDJSON, JSON and CSV and checks each against the store; the CSV is
    /// compared with the store by `memport verify`.
    func exportsEveryFormat(
        _ source: [String], expected: OSSFixtures.Seeded, in dir: TemporaryDirectory
    ) throws {
        for format in ["ndjson", "json"] {
            let out = dir.path("all.\(format)")
            let run = try Self.run(
                ["export"] + source + ["--output", out, "--format", format, "--state-dir", dir.path("state")], in: dir)
            #expect(run.status == 0, "\(format): \(run.stderr)")
            #expect(run.stdout.contains("written \(expected.live.count) "), "\(run.stdout)")
            let problems = Self.problems(try Self.exported(out), expected: expected)
            #expect(problems.isEmpty, "\(format): \(problems)")
        }
        let csv = dir.path("all.csv")
        let run = try Self.run(
            ["export"] + source + ["--output", csv, "--format", "csv", "--state-dir", dir.path("state")], in: dir)
        #expect(run.status == 0, "csv: \(run.stderr)")
        let verify = try Self.run(["verify", csv] + source.filter { $0 != "--target" }, in: dir)
        #expect(verify.status == 0, "csv: \(verify.stdout) \(verify.stderr)")
    }

    /// Kills the export at two crash points (a page written but not checkpointed, a page synced
    /// but its checkpoint not recorded), then runs it to its end: every memory once.
    func killedAndResumedExportsEachMemoryOnce(
        _ source: [String], expected: OSSFixtures.Seeded, in dir: TemporaryDirectory, format: String = "ndjson"
    ) throws {
        let out = dir.path("killed.\(format)")
        let args =
            ["export"] + source + [
                "--output", out, "--format", format, "--page-size", "7", "--checkpoint-seconds", "0", "--state-dir",
                dir.path("killed-state"),
            ]
        // Each run resumes where the last checkpoint of the one before stands.
        for crash in ["after-write:3", "after-sync:2", "after-write:2"] {
            let killed = try Self.run(args, in: dir, environment: ["MEMPORT_TEST_CRASH": crash])
            #expect(killed.status == nil, "\(crash): the export was killed (\(killed.stderr))")
            #expect(!FileManager.default.fileExists(atPath: out), "no complete file after a kill")
        }
        // Killed after the finished file was renamed, before the ledger knew.
        let renamed = try Self.run(args, in: dir, environment: ["MEMPORT_TEST_CRASH": "after-rename:1"])
        #expect(renamed.status == nil, "after-rename: \(renamed.stderr)")
        let resumed = try Self.run(args, in: dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("(resumed)"), "\(resumed.stdout)")
        let problems = Self.problems(try Self.exported(out), expected: expected)
        #expect(problems.isEmpty, "\(problems)")
    }

    // MARK: - Chroma

    @Test
    func aChromaStoreExportsEveryLiveMemoryOnceInEveryFormatAndResumesAfterAKill() async throws {
        try await TemporaryDirectory.with { dir in
            let expected = try OSSFixtures.seedChroma(in: dir, count: 70)
            #expect(expected.live.count > 40 && !expected.deleted.isEmpty)
            let source = ["chroma:\(dir.path("chroma"))"]
            try exportsEveryFormat(source, expected: expected, in: dir)
            try killedAndResumedExportsEachMemoryOnce(source, expected: expected, in: dir)
            try killedAndResumedExportsEachMemoryOnce(
                ["--target", "chroma:\(dir.path("chroma"))", "--collection", "mem0"], expected: expected, in: dir,
                format: "json")

            // A scope filter: alice's memories, every one of them (more than get_all's 20).
            let alice = dir.path("alice.jsonl")
            let filtered = try Self.run(
                [
                    "export", "chroma:\(dir.path("chroma"))", "--output", alice, "--filters", #"{"user_id": "alice"}"#,
                    "--state-dir", dir.path("state"),
                ], in: dir)
            #expect(filtered.status == 0, "\(filtered.stderr)")
            let wantAlice = expected.live.filter { $0.userID == "alice" }
            #expect(wantAlice.count > 20)
            let gotAlice = try Self.exported(alice)
            #expect(Set(gotAlice.map(\.id)) == Set(wantAlice.map(\.id)) && gotAlice.count == wantAlice.count)

            // To standard output.
            let piped = try Self.run(["export", "chroma:\(dir.path("chroma"))", "--output", "-"], in: dir)
            #expect(piped.status == 0, "\(piped.stderr)")
            #expect(piped.stdout.split(separator: "\n").count == expected.live.count)
        }
    }

    @Test
    func chromasLogOnlyPointsAreExportedOnceAcrossAResume() async throws {
        try await TemporaryDirectory.with { dir in
            let expected = try OSSFixtures.seedChroma(in: dir, count: 12)
            // Three adds still only in Chroma's log, so the last pages come from the log.
            let queue = try DatabaseQueue(path: dir.path("chroma/chroma.sqlite3"))
            try await queue.write { db in
                let collection = try String.fetchOne(db, sql: "SELECT id FROM collections WHERE name = 'mem0'") ?? ""
                let topic =
                    try String.fetchOne(
                        db, sql: "SELECT topic FROM embeddings_queue WHERE topic LIKE ? LIMIT 1",
                        arguments: ["%" + collection]) ?? "persistent://default/default/\(collection)"
                var seq = try Int64.fetchOne(db, sql: "SELECT MAX(seq_id) FROM embeddings_queue") ?? 0
                for n in 1...3 {
                    seq += 1
                    try db.execute(
                        sql: """
                            INSERT INTO embeddings_queue (seq_id, operation, topic, id, vector, encoding, metadata)
                            VALUES (?, 0, ?, ?, NULL, NULL, ?)
                            """,
                        arguments: [seq, topic, "log-\(n)", #"{"data": "logged \#(n)", "user_id": "zoe"}"#])
                }
            }
            let out = dir.path("all.jsonl")
            let args = [
                "export", "chroma:\(dir.path("chroma"))", "--output", out, "--page-size", "2", "--checkpoint-seconds",
                "0", "--state-dir", dir.path("state"),
            ]
            // Pages: the segment's rows two by two, then the log's three points as two pages. The
            // first run is killed at the segment's last page, the second at the log's first.
            let pages = (expected.live.count + 1) / 2
            for crash in ["after-sync:\(pages)", "after-write:2"] {
                let killed = try Self.run(args, in: dir, environment: ["MEMPORT_TEST_CRASH": crash])
                #expect(killed.status == nil, "\(crash)")
            }
            let resumed = try Self.run(args, in: dir)
            #expect(resumed.status == 0, "\(resumed.stderr)")
            let memories = try Self.exported(out)
            #expect(memories.count == expected.live.count + 3)
            #expect(Set(memories.map(\.id)).count == memories.count, "each once")
            #expect(
                memories.filter { $0.id.hasPrefix("log-") }.map(\.memory).sorted() == [
                    "logged 1", "logged 2", "logged 3",
                ])
        }
    }

    @Test
    func whatAStoreCannotApplyIsRefusedAndAnUnknownLayoutIsExit3() async throws {
        try await TemporaryDirectory.with { dir in
            try OSSFixtures.seedChroma(in: dir, count: 6)
            let source = "chroma:\(dir.path("chroma"))"
            for refused in [
                ["--split-by", "user_id"], ["--filters", #"{"app_id": "notes"}"#],
                ["--filters", #"{"AND": [{"user_id": "alice"}, {"categories": {"in": ["food"]}}]}"#],
            ] {
                let run = try Self.run(["export", source, "--output", dir.path("x.jsonl")] + refused, in: dir)
                #expect(run.status == 2, "\(refused): \(run.stderr)")
                #expect(run.stderr.contains("store"), "\(run.stderr)")
                #expect(!FileManager.default.fileExists(atPath: dir.path("x.jsonl")))
            }
            let twice = try Self.run(
                ["export", source, "--target", "embedded:\(dir.path("t.db"))", "--output", dir.path("x.jsonl")], in: dir
            )
            #expect(twice.status == 2, "\(twice.stderr)")

            // A Chroma layout of an unknown version: exit 3 naming what it lacks and its migrations.
            let odd = dir.path("odd")
            try FileManager.default.createDirectory(atPath: odd, withIntermediateDirectories: true)
            try DatabaseQueue(path: odd + "/chroma.sqlite3").write { db in
                try db.execute(
                    sql: """
                        CREATE TABLE migrations (dir TEXT, version INTEGER, filename TEXT, sql TEXT, hash TEXT);
                        INSERT INTO migrations VALUES ('metadb', 9, 'x', '', ''), ('sysdb', 12, 'y', '', '');
                        CREATE TABLE collections (id TEXT PRIMARY KEY, name TEXT);
                        CREATE TABLE segments (id TEXT PRIMARY KEY, scope TEXT, collection TEXT);
                        CREATE TABLE records (id INTEGER PRIMARY KEY, segment_id TEXT, record_id TEXT, doc BLOB);
                        """)
            }
            let unknown = try Self.run(
                ["export", "chroma:\(odd)", "--output", dir.path("odd.jsonl"), "--state-dir", dir.path("state")],
                in: dir)
            #expect(unknown.status == 3, "\(unknown.stderr)")
            #expect(unknown.stderr.contains("metadb 00009, sysdb 00012"), "\(unknown.stderr)")
            #expect(unknown.stderr.contains("table embeddings"), "\(unknown.stderr)")
            let missing = try Self.run(
                ["export", "chroma:\(dir.path("chroma"))?collection=notes", "--output", dir.path("n.jsonl")], in: dir)
            #expect(missing.status == 3, "\(missing.stderr)")
            #expect(missing.stderr.contains("no collection notes"), "\(missing.stderr)")
            let telemetry = try Self.run(
                ["export", "chroma:\(dir.path("chroma"))", "--collection", "mem0migrations", "--output", "-"], in: dir)
            #expect(telemetry.status == 2, "\(telemetry.stderr)")
        }
    }

    // MARK: - PostgreSQL + pgvector

    @Test
    func aPgvectorTableExportsEveryLiveMemoryOnceResumesAfterAKillAndNeverPrintsThePassword() async throws {
        try await TemporaryDirectory.with { dir in
            let pgdata = dir.path("pgdata")
            defer { _ = try? OSSFixtures.seed(["pg-stop", "--pgdata", pgdata], directory: dir.url.path) }
            let expected = try OSSFixtures.seedPgvector(in: dir, pgdata: pgdata, table: "memories", count: 70)
            #expect(expected.live.count > 40 && !expected.deleted.isEmpty)
            // pgserver trusts local connections: a password in the URL is carried, never needed.
            let secret = "s3cret-\(UUID().uuidString.prefix(6))"
            let url = "postgresql://postgres:\(secret)@/postgres?host=\(pgdata)"
            try exportsEveryFormat([url, "--collection", "memories"], expected: expected, in: dir)
            try killedAndResumedExportsEachMemoryOnce([url + "&table=memories"], expected: expected, in: dir)

            // An agent's memories only.
            let coach = dir.path("coach.json")
            let filtered = try Self.run(
                [
                    "export", url + "&table=memories", "--output", coach, "--format", "json", "--filters",
                    #"{"agent_id": "coach"}"#, "--state-dir", dir.path("state"),
                ], in: dir)
            #expect(filtered.status == 0, "\(filtered.stderr)")
            let want = expected.live.filter { $0.agentID == "coach" }
            #expect(!want.isEmpty)
            #expect(Set(try Self.exported(coach).map(\.id)) == Set(want.map(\.id)))

            // The password is nowhere: not in the output, the summaries, the ledger or the files.
            #expect(!filtered.stdout.contains(secret) && !filtered.stderr.contains(secret))
            for file in try FileManager.default.subpathsOfDirectory(atPath: dir.url.path)
            where !file.hasPrefix("pgdata") {
                let data = (try? Data(contentsOf: URL(fileURLWithPath: dir.path(file)))) ?? Data()
                #expect(data.range(of: Data(secret.utf8)) == nil, "the password is in \(file)")
            }

            // A missing table names the tables there.
            let missing = try Self.run(["export", url, "--output", dir.path("m.jsonl")], in: dir)
            #expect(missing.status == 3, "\(missing.stderr)")
            #expect(missing.stderr.contains("no table mem0"), "\(missing.stderr)")
            #expect(!missing.stderr.contains(secret))
        }
    }

    @Test func aPostgresURLThatRefusesIsExit3WithoutThePassword() async throws {
        try await TemporaryDirectory.with { dir in
            let refused = try Self.run(
                [
                    "export", "postgresql://nobody:hunter2@127.0.0.1:1/db?connect_timeout=2", "--output",
                    dir.path("x.jsonl"), "--state-dir", dir.path("state"),
                ], in: dir)
            #expect(refused.status == 3, "\(refused.stderr)")
            #expect(refused.stderr.contains("cannot connect to PostgreSQL at 127.0.0.1:1"), "\(refused.stderr)")
            #expect(!refused.stderr.contains("hunter2"))
            #expect(!FileManager.default.fileExists(atPath: dir.path("x.jsonl")))
        }
    }

    // MARK: - The TypeScript SDK's store

    @Test func theTypeScriptStoreExportsItsMemoriesAndNamesThePointsThatAreNone() async throws {
        try await TemporaryDirectory.with { dir in
            let db = dir.path("vector_store.db")
            var rows: [(String, JSONValue)] = []
            for n in 0..<25 {
                let user = n % 2 == 0 ? "ts-user" : "ts-other"
                var extra: [String: JSONValue] = ["topic": n % 3 == 0 ? "work" : "home", "role": "user"]
                if n % 5 == 0 { extra["agent_id"] = "ts-agent" }
                let created = String(format: "2025-01-%02dT03:04:05.678Z", n + 1)
                rows.append(
                    (
                        String(format: "m%03d", n),
                        TypeScriptStoreReaderTests.payload("memory \(n)", user: user, created: created, extra: extra)
                    ))
            }
            rows.append(("e1", ["data": "Porto", "linked_memory_ids": ["m001"], "user_id": "ts-user"]))
            rows.append(("zz-bad", ["user_id": "ts-user", "hash": "x"]))
            try TypeScriptStoreReaderTests.store(at: db, rows: rows)

            let out = dir.path("ts.json")
            let args = [
                "export", "mem0-ts:\(dir.url.path)", "--output", out, "--format", "json", "--page-size", "4",
                "--checkpoint-seconds", "0", "--state-dir", dir.path("state"),
            ]
            let killed = try Self.run(args, in: dir, environment: ["MEMPORT_TEST_CRASH": "after-sync:3"])
            #expect(killed.status == nil)
            let run = try Self.run(args, in: dir)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("(resumed)"), "\(run.stdout)")
            #expect(run.stdout.contains("1 point of the store is no memory"), "\(run.stdout)")
            #expect(run.stdout.contains("zz-bad") && run.stdout.contains("missing_data"), "\(run.stdout)")
            let memories = try Self.exported(out).sorted { $0.id < $1.id }
            #expect(memories.map(\.id) == (0..<25).map { String(format: "m%03d", $0) })
            #expect(memories[0].memory == "memory 0")
            #expect(memories[0].scope == Scope(userID: "ts-user", agentID: "ts-agent"))
            #expect(memories[3].metadata?["topic"] == "work")
            #expect(memories[1].createdAt.map { Int64($0.timeIntervalSince1970) } == 1_735_787_045)
            #expect(memories[0].metadata?[OSSPayload.extensionField]?.objectValue?["role"] == "user")
            #expect(memories[0].hash == SHA256.hex("memory 0"))

            let other = dir.path("other.jsonl")
            let filtered = try Self.run(
                [
                    "export", "mem0-ts:\(db)", "--output", other, "--filters", #"{"user_id": "ts-other"}"#,
                    "--state-dir", dir.path("state"),
                ], in: dir)
            #expect(filtered.status == 0, "\(filtered.stderr)")
            #expect(
                try Self.exported(other).map(\.id).sorted()
                    == (0..<25).filter { $0 % 2 == 1 }.map { String(format: "m%03d", $0) })

            // Not the TypeScript store: exit 3, saying what it looks like.
            let chroma = dir.path("chroma-like.db")
            try DatabaseQueue(path: chroma).write { db in
                try db.execute(sql: "CREATE TABLE collections (id TEXT); CREATE TABLE embeddings (id INTEGER)")
            }
            let foreign = try Self.run(["export", "mem0-ts:\(chroma)", "--output", dir.path("f.jsonl")], in: dir)
            #expect(foreign.status == 3, "\(foreign.stderr)")
            #expect(foreign.stderr.contains("Chroma"), "\(foreign.stderr)")
        }
    }
}
