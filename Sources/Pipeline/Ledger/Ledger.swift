import Foundation
import GRDB
import MemoryAPI
import MemoryStore

/// The job ledger: one SQLite file (WAL) per state directory, the truth for every job it holds
/// (DESIGN invariant 1).
///
/// It records jobs (their spec without secrets, source fingerprints and target), chunks, units
/// (import key, locator, state, attempts, last error, job id, memory ids) and rejects. A unit's
/// new state and the target's answer are written in one transaction.
///
/// ```swift
/// let ledger = try Ledger(directory: URL(fileURLWithPath: ".memport"))
/// let (job, isNew) = try await ledger.openJob(id: id, spec: specJSON, target: "embedded:./memport.db", sources: fp)
/// ```
public final class Ledger: Sendable {
    /// The state directory.
    public let directory: URL
    /// The database file.
    public var path: String { directory.appendingPathComponent("ledger.sqlite").path }
    let pool: DatabasePool

    /// Opens (creating when needed) the ledger in `directory`, which is created with mode 0700.
    ///
    /// - Throws: `PipelineError` with code `.ledger` naming the path.
    public init(directory: URL) throws {
        self.directory = directory
        SQLiteProcess.configure()
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            var config = Configuration()
            config.busyMode = .timeout(10)
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            pool = try DatabasePool(path: directory.appendingPathComponent("ledger.sqlite").path, configuration: config)
            try Self.migrator.migrate(pool)
        } catch let error as PipelineError {
            throw error
        } catch {
            throw PipelineError(.ledger, "cannot open the ledger in \(directory.path): \(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE job (
                        id TEXT PRIMARY KEY,
                        spec TEXT NOT NULL,
                        target TEXT NOT NULL,
                        sources TEXT NOT NULL,
                        state TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        finished_at TEXT,
                        records INTEGER NOT NULL DEFAULT 0,
                        retries INTEGER NOT NULL DEFAULT 0,
                        elapsed_s REAL NOT NULL DEFAULT 0,
                        runs INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE TABLE chunk (
                        job_id TEXT NOT NULL REFERENCES job(id) ON DELETE CASCADE,
                        seq INTEGER NOT NULL,
                        state TEXT NOT NULL,
                        units INTEGER NOT NULL,
                        started_at TEXT NOT NULL,
                        finished_at TEXT,
                        PRIMARY KEY (job_id, seq)
                    );
                    CREATE TABLE unit (
                        job_id TEXT NOT NULL REFERENCES job(id) ON DELETE CASCADE,
                        import_key TEXT NOT NULL,
                        chunk_seq INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        state TEXT NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        last_error TEXT,
                        event_id TEXT,
                        memory_ids TEXT,
                        locator TEXT NOT NULL,
                        scope TEXT,
                        messages INTEGER NOT NULL DEFAULT 0,
                        updated_at TEXT NOT NULL,
                        PRIMARY KEY (job_id, import_key)
                    ) WITHOUT ROWID;
                    CREATE INDEX unit_by_key ON unit(import_key, state);
                    CREATE INDEX unit_by_state ON unit(job_id, state);
                    CREATE TABLE reject (
                        job_id TEXT NOT NULL REFERENCES job(id) ON DELETE CASCADE,
                        reject_key TEXT NOT NULL,
                        import_key TEXT,
                        reason TEXT NOT NULL,
                        status INTEGER,
                        message TEXT NOT NULL,
                        locator TEXT NOT NULL,
                        record TEXT,
                        created_at TEXT NOT NULL,
                        replayed INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (job_id, reject_key)
                    ) WITHOUT ROWID;
                    """)
        }
        m.registerMigration("v2-export") { db in
            try db.execute(sql: exportSchema)
        }
        // Units stored in the order they are recorded instead of by import key: keys are hashes,
        // so a chunk's 1,000 rows (written twice: in flight, then finished) landed on pages all
        // over the table and both of its indexes, and each chunk rewrote most of the file. Only
        // the unique (job, key) index stays in key order; delivered-elsewhere lookups use it.
        m.registerMigration("v3-unit-order") { db in
            try db.execute(
                sql: """
                    CREATE TABLE unit_v3 (
                        id INTEGER PRIMARY KEY,
                        job_id TEXT NOT NULL REFERENCES job(id) ON DELETE CASCADE,
                        import_key TEXT NOT NULL,
                        chunk_seq INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        state TEXT NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        last_error TEXT,
                        event_id TEXT,
                        memory_ids TEXT,
                        locator TEXT NOT NULL,
                        scope TEXT,
                        messages INTEGER NOT NULL DEFAULT 0,
                        updated_at TEXT NOT NULL,
                        UNIQUE (job_id, import_key)
                    );
                    INSERT INTO unit_v3 (job_id, import_key, chunk_seq, kind, state, attempts, last_error, event_id,
                        memory_ids, locator, scope, messages, updated_at)
                    SELECT job_id, import_key, chunk_seq, kind, state, attempts, last_error, event_id,
                        memory_ids, locator, scope, messages, updated_at
                    FROM unit ORDER BY job_id, chunk_seq, import_key;
                    DROP TABLE unit;
                    ALTER TABLE unit_v3 RENAME TO unit;
                    CREATE INDEX unit_by_state ON unit(job_id, state);
                    """)
        }
        return m
    }

    static func now() -> String { MemoryTimestamp.format(Date()) }
}
