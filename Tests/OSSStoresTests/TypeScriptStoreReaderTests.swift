import Foundation
import GRDB
import MemoryAPI
import Pipeline
import Reading
import TestSupport
import Testing

/// The TypeScript SDK's SQLite store, built from its documented DDL (`mem0-ts/src/oss/src/vector_stores/memory.ts`)
/// with rows in its payload shape (there is no npm here to run the SDK itself).
@Suite struct TypeScriptStoreReaderTests {
    /// Writes a `vector_store.db` and returns the ids of its memories.
    static func store(at path: String, rows: [(String, JSONValue)]) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS vectors (id TEXT PRIMARY KEY, vector BLOB NOT NULL, payload TEXT NOT NULL);
                    CREATE TABLE IF NOT EXISTS memory_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT NOT NULL UNIQUE);
                    INSERT OR IGNORE INTO memory_migrations (user_id) VALUES ('anonymous-telemetry-id');
                    """)
            let vector = Data([Float](repeating: 0.25, count: 8).withUnsafeBufferPointer { Data(buffer: $0) })
            for (id, payload) in rows {
                try db.execute(
                    sql: "INSERT INTO vectors (id, vector, payload) VALUES (?, ?, ?)",
                    arguments: [id, vector, payload.jsonString()])
            }
        }
    }

    static func payload(_ text: String, user: String, created: String, extra: [String: JSONValue] = [:]) -> JSONValue {
        var o: [String: JSONValue] = [
            "data": .string(text), "hash": .string(SHA256.hex(text)), "userId": .string(user),
            "user_id": .string(user), "createdAt": .string(created), "created_at": .string(created),
        ]
        for (k, v) in extra { o[k] = v }
        return .object(o)
    }

    @Test func memoriesImportOnceEntitiesAreSkippedAndAPayloadWithoutDataIsALocatedReject() async throws {
        try await TemporaryDirectory.with { dir in
            let db = dir.path("vector_store.db")
            try Self.store(
                at: db,
                rows: [
                    ("a1", Self.payload("likes green tea", user: "ts-user", created: "2025-01-02T03:04:05.678Z")),
                    (
                        "a2",
                        Self.payload(
                            "works from Porto", user: "ts-user", created: "2025-02-03T04:05:06.000Z",
                            extra: ["topic": "work", "role": "user", "agent_id": "ts-agent"])
                    ),
                    ("e1", ["data": "Porto", "linked_memory_ids": ["a2"], "user_id": "ts-user"]),
                    ("bad", ["user_id": "ts-user", "hash": "x"]),
                ])
            let target = dir.path("t.db")
            let run = try OSSFixtures.memport(
                [
                    "import", "mem0-ts:\(db)", "--target", "embedded:\(target)", "--state-dir", dir.path("state"),
                    "--progress", "none",
                ], directory: dir.url.path)
            #expect(run.status == 0, "\(run.stderr)")
            let memories = try await OSSFixtures.memories(inStore: target).sorted { $0.memory < $1.memory }
            #expect(memories.map(\.memory) == ["likes green tea", "works from Porto"])
            #expect(memories[1].scope == Scope(userID: "ts-user", agentID: "ts-agent"))
            #expect(memories[1].metadata?["topic"] == "work")
            #expect(memories[1].metadata?["userId"] == "ts-user")
            #expect(memories[0].createdAt.map { Int64($0.timeIntervalSince1970) } == 1_735_787_045)
            let rejects = try String(
                contentsOfFile: try #require(
                    FileManager.default.subpathsOfDirectory(atPath: dir.path("state")).first {
                        $0.hasSuffix("rejects.ndjson")
                    }.map { dir.path("state/\($0)") }), encoding: .utf8)
            #expect(rejects.contains("missing_data"))
            #expect(rejects.contains("\"conversation_id\":\"bad\""), "\(rejects)")

            // A second run sends nothing new. Verify finds every memory equal and names the row
            // that is not a memory, so it does not answer identical.
            let again = try OSSFixtures.memport(
                [
                    "import", "mem0-ts:\(db)", "--target", "embedded:\(target)", "--state-dir", dir.path("state"),
                    "--progress", "none",
                ], directory: dir.url.path)
            #expect(again.status == 0)
            #expect(try await OSSFixtures.memories(inStore: target).count == 2)
            let verify = try OSSFixtures.memport(
                ["verify", "mem0-ts:\(dir.url.path)", "embedded:\(target)"], directory: dir.url.path)
            #expect(verify.status == 1, "\(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains("not a memory"), "\(verify.stdout)")
            #expect(verify.stdout.contains("bad"), "\(verify.stdout)")
            #expect(!verify.stdout.contains("missing 1") && !verify.stdout.contains("changed 1"), "\(verify.stdout)")

            // Without the bad row, the sides are identical.
            try await DatabaseQueue(path: db).write { try $0.execute(sql: "DELETE FROM vectors WHERE id = 'bad'") }
            let identical = try OSSFixtures.memport(
                ["verify", "mem0-ts:\(dir.url.path)", "embedded:\(target)"], directory: dir.url.path)
            #expect(identical.status == 0, "\(identical.stdout)\(identical.stderr)")
        }
    }

    @Test func aChromaFileNamedAsTheTypeScriptStoreSaysSo() async throws {
        try await TemporaryDirectory.with { dir in
            let queue = try DatabaseQueue(path: dir.path("vector_store.db"))
            try queue.write { db in
                try db.execute(sql: "CREATE TABLE collections (id TEXT); CREATE TABLE embeddings (id INTEGER)")
            }
            let spec = try #require(try StoreSpec.parse("mem0-ts:\(dir.path("vector_store.db"))"))
            let error = #expect(throws: ReadingError.self) { try StoreReaders.open(spec) }
            #expect(error?.code == .unknownStoreLayout)
            #expect(error?.description.contains("Chroma") == true)
        }
    }
}
