import CSQLite
import Foundation
import GRDB
import MemoryAPI
import MemoryStore
import Reading

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

    /// Opens (creating when needed) the ledger in `directory`, which is created with mode 0700;
    /// the ledger and its `-wal` and `-shm` files are mode 0600.
    ///
    /// A missing ledger is created (complete, or not at all). A file that is not one (empty,
    /// truncated, not SQLite, another program's database) is refused, never replaced.
    ///
    /// - Throws: `PipelineError` with code `.ledger` naming the path (and, for a file that is
    ///   not a ledger, how to start over).
    public init(directory: URL) throws {
        self.directory = directory
        SQLiteProcess.configure()
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            // Two processes opening a new state directory at once must not both create the
            // schema: opening and migrating happen under a short lock of their own (the job
            // lock, `StateLock`, is held for a whole command and only by writers).
            let schemaLock = try FileLock(path: directory.appendingPathComponent("ledger.schema-lock").path)
            defer { schemaLock.close() }
            try schemaLock.lock()
            let file = directory.appendingPathComponent("ledger.sqlite").path
            if try Self.inspect(path: file) == .missing {
                try Self.create(path: file)
            } else {
                // Looked at read-only first: a foreign database is refused as it was found.
                var readOnly = Configuration()
                readOnly.readonly = true
                // Another process may be closing its connection (a checkpoint on close): wait.
                readOnly.busyMode = .timeout(10)
                let queue = try DatabaseQueue(path: file, configuration: readOnly)
                try queue.read { db in try Self.checkTables(db, path: file) }
                try queue.close()
            }
            _ = try Self.inspect(path: file)
            var config = Configuration()
            config.busyMode = .timeout(10)
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // Closing does not fold the write-ahead log into the file: that checkpoint (two
                // syncs) was 16-24 ms of every command's exit. The log stays beside the file with
                // the commits it holds, every reader sees them, and the next writer's automatic
                // checkpoint folds them in.
                if let connection = db.sqliteConnection {
                    _ = memport_sqlite_no_checkpoint_on_close(connection)
                }
            }
            pool = try DatabasePool(path: file, configuration: config)
            try Self.migrator.migrate(pool)
            Self.restrictModes(path: file)
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
        registerRejectRecordMigration(&m)
        return m
    }

    static func now() -> String { MemoryTimestamp.format(Date()) }
}
