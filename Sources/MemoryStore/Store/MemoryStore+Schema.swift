import GRDB
import MemoryAPI

extension MemoryStore {
    /// The schema. `seq` is the stable listing order (insertion order); indexes serve the
    /// scoped listings, the dedup check, and the import-key lookup at a million memories.
    /// `expiration_at` trails the listing indexes so counting visible memories reads only the index.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE projects (
                        id INTEGER PRIMARY KEY,
                        org_id TEXT NOT NULL,
                        project_id TEXT NOT NULL,
                        UNIQUE (org_id, project_id)
                    );
                    CREATE TABLE memories (
                        seq INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        project INTEGER NOT NULL REFERENCES projects(id),
                        memory TEXT NOT NULL,
                        hash TEXT NOT NULL,
                        user_id TEXT, agent_id TEXT, app_id TEXT, run_id TEXT,
                        metadata TEXT,
                        categories TEXT,
                        immutable INTEGER NOT NULL DEFAULT 0,
                        expiration_date TEXT,
                        expiration_at REAL,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    CREATE INDEX memories_project ON memories (project, seq, expiration_at);
                    CREATE INDEX memories_user ON memories (project, user_id, seq, expiration_at);
                    CREATE INDEX memories_agent ON memories (project, agent_id, seq, expiration_at);
                    CREATE INDEX memories_app ON memories (project, app_id, seq, expiration_at);
                    CREATE INDEX memories_run ON memories (project, run_id, seq, expiration_at);
                    CREATE INDEX memories_hash ON memories (project, hash);
                    CREATE INDEX memories_import_key
                        ON memories (project, json_extract(metadata, '$.\(MemoryFilter.importKeyField)'), seq);
                    CREATE VIRTUAL TABLE memories_fts USING fts5 (
                        memory, content = 'memories', content_rowid = 'seq', tokenize = 'porter unicode61'
                    );
                    CREATE TRIGGER memories_fts_insert AFTER INSERT ON memories BEGIN
                        INSERT INTO memories_fts (rowid, memory) VALUES (new.seq, new.memory);
                    END;
                    CREATE TRIGGER memories_fts_delete AFTER DELETE ON memories BEGIN
                        INSERT INTO memories_fts (memories_fts, rowid, memory) VALUES ('delete', old.seq, old.memory);
                    END;
                    CREATE TRIGGER memories_fts_update AFTER UPDATE OF memory ON memories BEGIN
                        INSERT INTO memories_fts (memories_fts, rowid, memory) VALUES ('delete', old.seq, old.memory);
                        INSERT INTO memories_fts (rowid, memory) VALUES (new.seq, new.memory);
                    END;
                    CREATE TABLE history (
                        seq INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        project INTEGER NOT NULL,
                        memory_id TEXT NOT NULL,
                        event TEXT NOT NULL,
                        old_memory TEXT,
                        new_memory TEXT,
                        input TEXT,
                        user_id TEXT, agent_id TEXT, app_id TEXT, run_id TEXT,
                        metadata TEXT,
                        categories TEXT,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    CREATE INDEX history_memory ON history (project, memory_id, seq);
                    CREATE TABLE entities (
                        id INTEGER PRIMARY KEY,
                        project INTEGER NOT NULL,
                        type TEXT NOT NULL,
                        name TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL,
                        UNIQUE (project, type, name)
                    );
                    CREATE TABLE events (
                        id TEXT PRIMARY KEY,
                        project INTEGER NOT NULL,
                        event_type TEXT NOT NULL,
                        status TEXT NOT NULL,
                        results TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        completed_at REAL
                    );
                    """)
        }
        m.registerMigration("v2-bulk-insert") { db in
            // Full-text entries are written once per transaction (`indexNewMemories`): FTS5 flushes
            // its pending terms at every statement, so a row-by-row trigger cost ten times more.
            // Scope indexes hold only the memories that carry the id (most carry one or two of four).
            try db.execute(sql: "DROP TRIGGER memories_fts_insert")
            for t in ["user", "agent", "app", "run"] {
                try db.execute(
                    sql: """
                        DROP INDEX memories_\(t);
                        CREATE INDEX memories_\(t) ON memories (project, \(t)_id, seq, expiration_at)
                            WHERE \(t)_id IS NOT NULL;
                        """)
            }
        }
        return m
    }

    /// Adds the full-text entries of the memories inserted in this transaction after `seq`.
    ///
    /// Rows get `seq` values above every existing one, so `seq > before` (the largest `seq` when
    /// the transaction began inserting) selects exactly the new rows.
    static func indexNewMemories(_ db: Database, after before: Int64) throws {
        try db.cachedStatement(
            sql: "INSERT INTO memories_fts (rowid, memory) SELECT seq, memory FROM memories WHERE seq > ?"
        ).execute(arguments: [before])
    }

    /// The largest `seq` so far (0 for an empty store).
    static func lastSeq(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MAX(seq), 0) FROM memories")) ?? 0
    }
}
