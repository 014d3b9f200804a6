import Foundation
import GRDB
import MemoryAPI
import Reading

extension Ledger {
    /// The `v2-export` tables: one row per export with its page checkpoint.
    static let exportSchema = """
        CREATE TABLE export (
            id TEXT PRIMARY KEY,
            target TEXT NOT NULL,
            output TEXT NOT NULL,
            state TEXT NOT NULL,
            entity TEXT,
            page INTEGER NOT NULL DEFAULT 1,
            written INTEGER NOT NULL DEFAULT 0,
            checkpoint TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            finished_at TEXT
        );
        """

    /// The checkpoint of an unfinished export, or nil when there is none (or it finished).
    public func exportCheckpoint(id: String) async throws -> ExportCheckpoint? {
        let text: String? = try await wrap { [pool] in
            try await pool.read { db in
                try String.fetchOne(
                    db, sql: "SELECT checkpoint FROM export WHERE id = ? AND state = 'running'", arguments: [id])
            }
        }
        guard let text else { return nil }
        do {
            return try JSONDecoder().decode(ExportCheckpoint.self, from: Data(text.utf8))
        } catch {
            throw PipelineError(.ledger, "export \(id) has an unreadable checkpoint: \(MemoryAPIError.describe(error))")
        }
    }

    /// Records an export's checkpoint (entity, next page, memories written), or its end.
    public func saveExport(
        id: String, target: String, output: String, checkpoint: ExportCheckpoint, finished: Bool
    ) async throws {
        let data = try JSONEncoder().encode(checkpoint)
        let text = String(decoding: data, as: UTF8.self)
        let entity = checkpoint.pass < checkpoint.passes.count ? checkpoint.passes[checkpoint.pass].label : nil
        try await wrap { [pool] in
            try await pool.write { db in
                let now = Ledger.now()
                try db.execute(
                    sql: """
                        INSERT INTO export (id, target, output, state, entity, page, written, checkpoint, created_at,
                            updated_at, finished_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(id) DO UPDATE SET state = excluded.state, entity = excluded.entity,
                            page = excluded.page, written = excluded.written, checkpoint = excluded.checkpoint,
                            updated_at = excluded.updated_at, finished_at = excluded.finished_at
                        """,
                    arguments: [
                        id, target, output, finished ? "finished" : "running", entity, checkpoint.page,
                        checkpoint.written, text, now, now, finished ? now : nil,
                    ])
            }
        }
    }

    /// Forgets an export's checkpoint, so the next run starts it over.
    public func discardExport(id: String) async throws {
        try await wrap { [pool] in
            try await pool.write { db in try db.execute(sql: "DELETE FROM export WHERE id = ?", arguments: [id]) }
        }
    }
}
