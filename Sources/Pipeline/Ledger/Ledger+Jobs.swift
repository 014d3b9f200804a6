import Foundation
import GRDB
import MemoryAPI
import Reading

extension Ledger {
    /// Opens the job `id`, creating it when new; a known job gets its spec, sources and
    /// state refreshed and its run count raised.
    ///
    /// Secrets in the target (`http://user:KEY@host`, `?token=...`) are removed from the spec's
    /// `target` and from `target` before anything is stored.
    ///
    /// - Returns: the job and whether it was created now.
    public func openJob(id: String, spec specText: String, target: String, sources: String) async throws -> (
        LedgerJob, Bool
    ) {
        let target = TargetRedaction.redacted(target)
        let spec: String
        if case .object(var fields)? = try? JSONValue.parse(specText), case .string(let raw)? = fields["target"] {
            fields["target"] = .string(TargetRedaction.redacted(raw))
            spec = JSONValue.object(fields).jsonString()
        } else {
            spec = TargetRedaction.scrubbing(specText)
        }
        return try await wrap { [pool] in
            try await pool.write { db in
                let now = Ledger.now()
                let existing = try Row.fetchOne(db, sql: "SELECT * FROM job WHERE id = ?", arguments: [id])
                if existing == nil {
                    try db.execute(
                        sql: """
                            INSERT INTO job (id, spec, target, sources, state, created_at, updated_at, runs)
                            VALUES (?, ?, ?, ?, 'running', ?, ?, 1)
                            """, arguments: [id, spec, target, sources, now, now])
                } else {
                    try db.execute(
                        sql: """
                            UPDATE job SET spec = ?, sources = ?, updated_at = ?, runs = runs + 1,
                            state = CASE state WHEN 'finished' THEN 'finished' ELSE 'running' END WHERE id = ?
                            """, arguments: [spec, sources, now, id])
                }
                let row = try Row.fetchOne(db, sql: "SELECT * FROM job WHERE id = ?", arguments: [id])
                guard let row else { throw PipelineError(.ledger, "job \(id) vanished while it was opened") }
                return (LedgerJob(row: row), existing == nil)
            }
        }
    }

    /// The job with this id, or the only one whose id starts with it.
    public func job(_ idOrPrefix: String) async throws -> LedgerJob? {
        try await wrap { [pool] in
            try await pool.read { db in
                if let row = try Row.fetchOne(db, sql: "SELECT * FROM job WHERE id = ?", arguments: [idOrPrefix]) {
                    return LedgerJob(row: row)
                }
                let rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM job WHERE id LIKE ? ESCAPE '\\' LIMIT 2",
                    arguments: [Self.likePrefix(idOrPrefix)])
                return rows.count == 1 ? LedgerJob(row: rows[0]) : nil
            }
        }
    }

    /// Every job, newest first.
    public func jobs() async throws -> [LedgerJob] {
        try await wrap { [pool] in
            try await pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM job ORDER BY created_at DESC, id").map(LedgerJob.init(row:))
            }
        }
    }

    /// Ends a run: the job's state, the records read, and the retries and seconds this run added.
    public func endRun(jobID: String, state: JobState, records: Int, retries: Int, elapsed: Double) async throws {
        try await wrap { [pool] in
            try await pool.write { db in
                let now = Ledger.now()
                try db.execute(
                    sql: """
                        UPDATE job SET state = ?, records = ?, retries = retries + ?, elapsed_s = elapsed_s + ?,
                        updated_at = ?, finished_at = CASE WHEN ? = 'finished' THEN ? ELSE finished_at END WHERE id = ?
                        """,
                    arguments: [state.rawValue, records, retries, elapsed, now, state.rawValue, now, jobID])
            }
        }
    }

    static func likePrefix(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    /// Runs a ledger operation shielded from the caller's cancellation: Ctrl-C cancels the run,
    /// and the checkpoint written after it must still land (GRDB refuses work in a cancelled task).
    /// An unstructured task does not inherit cancellation.
    func wrap<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await Task { try await body() }.value
        } catch let error as PipelineError {
            throw error
        } catch {
            throw PipelineError(.ledger, "ledger \(path): \(error)")
        }
    }
}
