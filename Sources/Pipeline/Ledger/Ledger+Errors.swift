import GRDB

extension Ledger {
    /// Why units of a job are still unfinished: the last errors of its pending, in-flight and
    /// submitted units, most frequent first (a full disk, a refused connection, a server error),
    /// so `status` and a job's summary can name the cause.
    public func unfinishedErrors(jobID: String, limit: Int = 3) async throws -> [(message: String, units: Int)] {
        try await wrap { [pool] in
            try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT last_error, COUNT(*) AS n FROM unit
                        WHERE job_id = ? AND state IN ('pending', 'in_flight', 'submitted') AND last_error IS NOT NULL
                        GROUP BY last_error ORDER BY n DESC, last_error LIMIT ?
                        """,
                    arguments: [jobID, limit]
                ).map { (message: $0["last_error"] as String, units: $0["n"] as Int) }
            }
        }
    }
}
