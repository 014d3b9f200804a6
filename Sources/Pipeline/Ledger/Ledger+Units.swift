import Foundation
import GRDB
import MemoryAPI

extension Ledger {
    /// What the ledger knows of these keys in this job: state and recorded job id.
    public func units(jobID: String, keys: [String]) async throws -> [String: LedgerUnit] {
        guard !keys.isEmpty else { return [:] }
        return try await wrap { [pool] in
            try await pool.read { db in
                var out: [String: LedgerUnit] = [:]
                for slice in keys.chunked(400) {
                    let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
                    let rows = try Row.fetchAll(
                        db, sql: "SELECT * FROM unit WHERE job_id = ? AND import_key IN (\(marks))",
                        arguments: StatementArguments([jobID] + slice))
                    for row in rows {
                        let u = LedgerUnit(row: row)
                        out[u.importKey] = u
                    }
                }
                return out
            }
        }
    }

    /// The keys among `keys` that another job already delivered to the same target.
    public func deliveredElsewhere(target: String, excludingJob jobID: String, keys: [String]) async throws -> Set<
        String
    > {
        guard !keys.isEmpty else { return [] }
        return try await wrap { [pool] in
            try await pool.read { db in
                var out: Set<String> = []
                for slice in keys.chunked(400) {
                    let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
                    let found = try String.fetchAll(
                        db,
                        sql: """
                            SELECT u.import_key FROM job j CROSS JOIN unit u
                            ON u.job_id = j.id AND u.import_key IN (\(marks))
                            WHERE j.target = ? AND j.id != ? AND u.state IN ('confirmed', 'skipped_existing')
                            """, arguments: StatementArguments(slice + [target, jobID]))
                    out.formUnion(found)
                }
                return out
            }
        }
    }

    /// Writes units, rejects and a chunk's state in one transaction.
    public func record(
        jobID: String, units: [LedgerUnit], rejects: [LedgerReject] = [], chunk: (seq: Int, done: Bool)? = nil
    ) async throws {
        try await wrap { [pool] in
            try await pool.write { db in
                let now = Ledger.now()
                if let chunk {
                    try db.execute(
                        sql: """
                            INSERT INTO chunk (job_id, seq, state, units, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?)
                            ON CONFLICT (job_id, seq) DO UPDATE SET state = excluded.state,
                            units = MAX(chunk.units, excluded.units), finished_at = excluded.finished_at
                            """,
                        arguments: [
                            jobID, chunk.seq, chunk.done ? "done" : "open", units.count, now, chunk.done ? now : nil,
                        ])
                }
                for u in units {
                    let ids =
                        u.memoryIDs.isEmpty ? nil : JSONValue.array(u.memoryIDs.map(JSONValue.string)).jsonString()
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO unit (job_id, import_key, chunk_seq, kind, state, attempts, last_error, event_id,
                            memory_ids, locator, scope, messages, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
                            ON CONFLICT (job_id, import_key) DO UPDATE SET chunk_seq = excluded.chunk_seq,
                            state = excluded.state, attempts = excluded.attempts, last_error = excluded.last_error,
                            event_id = excluded.event_id, memory_ids = COALESCE(excluded.memory_ids, unit.memory_ids),
                            locator = excluded.locator, updated_at = excluded.updated_at
                            """
                    ).execute(
                        arguments: [
                            jobID, u.importKey, u.chunk, u.kind, u.state.rawValue, u.attempts,
                            u.lastError.map(TargetRedaction.scrubbing), u.eventID,
                            ids, u.locator, u.scope, u.messages, now,
                        ])
                }
                for r in rejects {
                    // An input reject a replay resolved stays resolved when a run reads the
                    // unfixed input again; a refused unit shows again when it is refused again.
                    try db.execute(
                        sql: """
                            INSERT INTO reject (job_id, reject_key, import_key, reason, status, message, locator, record,
                            created_at, kind, preset, source, length) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
                            ON CONFLICT (job_id, reject_key) DO UPDATE SET reason = excluded.reason,
                            status = excluded.status, message = excluded.message, record = excluded.record,
                            kind = excluded.kind, preset = excluded.preset, source = excluded.source,
                            length = excluded.length,
                            replayed = CASE WHEN reject.import_key IS NULL THEN reject.replayed ELSE 0 END
                            """,
                        arguments: [
                            jobID, r.key, r.importKey, r.reason, r.status, TargetRedaction.scrubbing(r.message),
                            r.locator, r.record, now, r.kind.rawValue, r.preset, r.source, r.length,
                        ])
                }
            }
        }
    }

    /// How many units of the job are in each state.
    public func counts(jobID: String) async throws -> [UnitState: Int] {
        try await wrap { [pool] in
            try await pool.read { db in
                var out: [UnitState: Int] = [:]
                for row in try Row.fetchAll(
                    db, sql: "SELECT state, COUNT(*) AS n FROM unit WHERE job_id = ? GROUP BY state",
                    arguments: [jobID])
                {
                    if let s = UnitState(rawValue: row["state"]) { out[s] = row["n"] }
                }
                return out
            }
        }
    }

    /// Messages carried by confirmed and skipped units.
    public func deliveredMessages(jobID: String) async throws -> Int {
        try await wrap { [pool] in
            try await pool.read { db in
                try Int.fetchOne(
                    db,
                    sql:
                        "SELECT COALESCE(SUM(messages), 0) FROM unit WHERE job_id = ? AND state IN ('confirmed','skipped_existing')",
                    arguments: [jobID]) ?? 0
            }
        }
    }

    /// The job's rejects in the order they were recorded.
    public func rejects(jobID: String, includeReplayed: Bool = true) async throws -> [LedgerReject] {
        try await wrap { [pool] in
            try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql:
                        "SELECT * FROM reject WHERE job_id = ? \(includeReplayed ? "" : "AND replayed = 0") ORDER BY created_at, reject_key",
                    arguments: [jobID]
                ).map(LedgerReject.init(row:))
            }
        }
    }

    /// Rejects counted by reason.
    public func rejectCounts(jobID: String) async throws -> [String: Int] {
        try await wrap { [pool] in
            try await pool.read { db in
                var out: [String: Int] = [:]
                for row in try Row.fetchAll(
                    db,
                    sql: "SELECT reason, COUNT(*) AS n FROM reject WHERE job_id = ? AND replayed = 0 GROUP BY reason",
                    arguments: [jobID])
                {
                    out[row["reason"]] = row["n"]
                }
                return out
            }
        }
    }

    /// Marks rejects as fed through again, and removes those whose units are now delivered.
    public func markReplayed(jobID: String, keys: [String]) async throws {
        try await wrap { [pool] in
            try await pool.write { db in
                for key in keys {
                    try db.execute(
                        sql: "UPDATE reject SET replayed = 1 WHERE job_id = ? AND reject_key = ?",
                        arguments: [jobID, key])
                }
            }
        }
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

extension Ledger {
    /// Removes the input rejects of a job, but those a replay resolved; a run finds them again.
    public func clearRecordRejects(jobID: String) async throws {
        try await wrap { [pool] in
            try await pool.write { db in
                try db.execute(
                    sql: "DELETE FROM reject WHERE job_id = ? AND import_key IS NULL AND replayed = 0",
                    arguments: [jobID])
            }
        }
    }

    /// Puts rejected units back to pending so a replay sends them; their reject rows stay until
    /// the replay delivers them.
    public func reopen(jobID: String, keys: [String]) async throws {
        try await wrap { [pool] in
            try await pool.write { db in
                for slice in keys.chunked(400) {
                    let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
                    try db.execute(
                        sql:
                            "UPDATE unit SET state = 'pending' WHERE job_id = ? AND state = 'rejected' AND import_key IN (\(marks))",
                        arguments: StatementArguments([jobID] + slice))
                }
            }
        }
    }

    /// Drops the reject rows of units that are now delivered.
    public func settleRejects(jobID: String) async throws {
        try await wrap { [pool] in
            try await pool.write { db in
                try db.execute(
                    sql: """
                        DELETE FROM reject WHERE job_id = ? AND import_key IN (SELECT import_key FROM unit
                        WHERE job_id = ? AND state IN ('confirmed', 'skipped_existing'))
                        """, arguments: [jobID, jobID])
            }
        }
    }
}
