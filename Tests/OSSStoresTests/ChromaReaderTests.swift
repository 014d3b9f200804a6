import Foundation
import GRDB
import MemoryAPI
import Pipeline
import Reading
import TestSupport
import Testing

/// Chroma stores written by the real Mem0 OSS `Memory` (mem0ai 2.2.1, infer=False) into a real
/// Chroma `PersistentClient`, imported by the real `memport` binary.
@Suite(.serialized) struct ChromaReaderTests {
    @Test
    func aChromaStoreImportsIntoEmbeddedAndServeExactlyAsTheStoreHoldsIt() async throws {
        try await TemporaryDirectory.with { dir in
            let expected = try OSSFixtures.seedChroma(in: dir, count: 70)
            #expect(expected.live.count > 40)
            #expect(!expected.deleted.isEmpty)
            #expect(expected.live.filter { $0.userID == "alice" }.count > 20, "more than get_all's default page")

            // Into the embedded target.
            let embedded = dir.path("embedded.db")
            let run = try OSSFixtures.memport(
                [
                    "import", "chroma:\(dir.path("chroma"))", "--target", "embedded:\(embedded)", "--state-dir",
                    dir.path("state"), "--progress", "none",
                ], directory: dir.url.path)
            #expect(run.status == 0, "\(run.stderr)")
            let problems = OSSFixtures.problems(try await OSSFixtures.memories(inStore: embedded), expected: expected)
            #expect(problems.isEmpty, "\(problems)")

            // Into memport serve, then verify compares the store with it.
            let server = try await ServeProcess.start()
            defer { server.stop() }
            let env = ["MEM0_API_KEY": server.apiKey]
            let toServe = try OSSFixtures.memport(
                [
                    "migrate", "--from", "chroma:\(dir.path("chroma"))", "--collection", "mem0", "--to", server.baseURL,
                    "--state-dir", dir.path("state2"), "--progress", "none",
                ], environment: env, directory: dir.url.path)
            #expect(toServe.status == 0, "\(toServe.stderr)")
            let served = OSSFixtures.problems(
                try await OSSFixtures.memories(inStore: server.databasePath), expected: expected)
            #expect(served.isEmpty, "\(served)")
            let verify = try OSSFixtures.memport(
                ["verify", "chroma:\(dir.path("chroma"))", server.baseURL], environment: env, directory: dir.url.path)
            #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")

            // A re-run sends nothing.
            let again = try OSSFixtures.memport(
                [
                    "import", "chroma:\(dir.path("chroma"))", "--target", "embedded:\(embedded)", "--state-dir",
                    dir.path("state"), "--progress", "none",
                ], directory: dir.url.path)
            #expect(again.status == 0)
            #expect(try await OSSFixtures.memories(inStore: embedded).count == expected.live.count)
        }
    }

    @Test
    func killedMidMigrationAndRerunDeliversEachPointOnce() async throws {
        try await TemporaryDirectory.with { dir in
            let expected = try OSSFixtures.seedChroma(in: dir, count: 90)
            let server = try await ServeProcess.start(arguments: ["--latency-ms", "20"])
            defer { server.stop() }
            let env = ["MEM0_API_KEY": server.apiKey]
            let args = [
                "migrate", "--from", "chroma:\(dir.path("chroma"))", "--to", server.baseURL, "--state-dir",
                dir.path("state"), "--progress", "none", "--chunk-size", "10", "--concurrency", "2",
            ]
            var kills = 0
            for delay in [300, 700] {
                let status = try await OSSFixtures.memportKilled(
                    args, after: .milliseconds(delay), environment: env, directory: dir.url.path)
                if status == nil { kills += 1 }
            }
            #expect(kills > 0, "a run was killed mid-flight")
            let rerun = try OSSFixtures.memport(args, environment: env, directory: dir.url.path)
            #expect(rerun.status == 0, "\(rerun.stderr)")
            let problems = OSSFixtures.problems(
                try await OSSFixtures.memories(inStore: server.databasePath), expected: expected)
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    @Test
    func writesStillOnlyInChromasLogAreFoldedIn() async throws {
        try await TemporaryDirectory.with { dir in
            let expected = try OSSFixtures.seedChroma(in: dir, count: 12)
            let (kept, changed, removed) = (expected.live[0], expected.live[1], expected.live[2])
            // Log entries above the metadata segment's max_seq_id, as a Chroma process that stopped
            // before compacting leaves them: an add, an update and a delete.
            let queue = try DatabaseQueue(path: dir.path("chroma/chroma.sqlite3"))
            try await queue.write { db in
                // The log's topic names the collection: `persistent://<tenant>/<database>/<collection id>`.
                let collection = try String.fetchOne(db, sql: "SELECT id FROM collections WHERE name = 'mem0'") ?? ""
                let topic =
                    try String.fetchOne(
                        db, sql: "SELECT topic FROM embeddings_queue WHERE topic LIKE ? LIMIT 1",
                        arguments: ["%" + collection]) ?? "persistent://default/default/\(collection)"
                #expect(topic.hasSuffix(collection))
                var seq = try Int64.fetchOne(db, sql: "SELECT MAX(seq_id) FROM embeddings_queue") ?? 0
                let entries: [(Int64, String, String)] = [
                    (0, "new-point", #"{"data": "added after compaction", "user_id": "zoe", "tags": ["a", "b"]}"#),
                    (1, changed.id, #"{"data": "changed in the log", "seq": null}"#),
                    (3, removed.id, "null"),
                ]
                for (operation, id, metadata) in entries {
                    seq += 1
                    try db.execute(
                        sql: """
                            INSERT INTO embeddings_queue (seq_id, operation, topic, id, vector, encoding, metadata)
                            VALUES (?, ?, ?, ?, NULL, NULL, ?)
                            """, arguments: [seq, operation, topic, id, metadata])
                }
            }
            let spec = try #require(try StoreSpec.parse("chroma:\(dir.path("chroma"))"))
            let reader = try StoreReaders.open(spec, batchSize: 5)
            var payloads: [String: [String: JSONValue]] = [:]
            while let batch = try reader.next() {
                for point in batch { payloads[point.id] = try point.payload.get() }
            }
            #expect(payloads.count == expected.live.count)
            #expect(payloads[kept.id]?["data"]?.stringValue == kept.memory)
            #expect(payloads[changed.id]?["data"] == "changed in the log")
            #expect(payloads[changed.id]?["seq"] == nil)
            #expect(payloads[changed.id]?["user_id"]?.stringValue == changed.userID)
            #expect(payloads[removed.id] == nil)
            #expect(payloads["new-point"]?["tags"] == ["a", "b"])
        }
    }

    @Test func aFileThatIsNotSQLiteIsUnreadableWithExit3() async throws {
        try await TemporaryDirectory.with { dir in
            try FileManager.default.createDirectory(atPath: dir.path("db"), withIntermediateDirectories: true)
            try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: dir.path("db/chroma.sqlite3")))
            let run = try OSSFixtures.memport(
                [
                    "import", "chroma:\(dir.path("db"))", "--target", "embedded:\(dir.path("t.db"))", "--progress",
                    "none",
                ],
                directory: dir.url.path)
            #expect(run.status == 3)
            #expect(run.stderr.contains("not a SQLite database"), "\(run.stderr)")
        }
    }

    @Test func aForeignSQLiteFileSaysItIsNotChroma() async throws {
        try await TemporaryDirectory.with { dir in
            let queue = try DatabaseQueue(path: dir.path("chroma.sqlite3"))
            try queue.write { try $0.execute(sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)") }
            let run = try OSSFixtures.memport(
                ["import", "chroma:\(dir.path("chroma.sqlite3"))", "--dry-run"], directory: dir.url.path)
            #expect(run.status == 3)
            #expect(run.stderr.contains("none of Chroma's tables"), "\(run.stderr)")
            #expect(run.stderr.contains("notes"))
        }
    }

    @Test func anUnknownChromaLayoutNamesWhatIsMissingAndTheMigrations() async throws {
        try await TemporaryDirectory.with { dir in
            let queue = try DatabaseQueue(path: dir.path("chroma.sqlite3"))
            try queue.write { db in
                try db.execute(
                    sql: """
                        CREATE TABLE migrations (dir TEXT, version INTEGER, filename TEXT, sql TEXT, hash TEXT);
                        INSERT INTO migrations VALUES ('metadb', 9, 'x', '', ''), ('sysdb', 12, 'y', '', '');
                        CREATE TABLE collections (id TEXT PRIMARY KEY, name TEXT);
                        CREATE TABLE segments (id TEXT PRIMARY KEY, scope TEXT, collection TEXT);
                        CREATE TABLE records (id INTEGER PRIMARY KEY, segment_id TEXT, record_id TEXT, doc BLOB);
                        """)
            }
            let run = try OSSFixtures.memport(
                ["verify", "chroma:\(dir.url.path)", "embedded:\(dir.path("t.db"))"], directory: dir.url.path)
            #expect(run.status == 3, "\(run.stderr)")
            #expect(run.stderr.contains("metadb 00009, sysdb 00012"), "\(run.stderr)")
            #expect(run.stderr.contains("table embeddings"))
        }
    }

    @Test func telemetryAndEntityCollectionsAreRefused() async throws {
        try await TemporaryDirectory.with { dir in
            for name in ["mem0migrations", "mem0_entities"] {
                #expect(throws: ReadingError.self) { try StoreSpec.parse("chroma:\(dir.url.path)?collection=\(name)") }
            }
        }
    }
}
