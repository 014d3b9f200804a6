import Foundation

/// What a run of a job did, as the final summary and `--summary-json` show it.
public struct ImportSummary: Sendable, Hashable, Codable {
    /// The job.
    public var jobID: String
    /// The target, without secrets.
    public var target: String
    /// How the run ended.
    public var state: JobState
    /// The counters.
    public var progress: ImportProgress
    /// Units of the job in each state after the run (all runs together).
    public var ledgerCounts: [String: Int]
    /// Why the run stopped early, when it did.
    public var stopReason: String?
    /// The rejects file, when there are rejects.
    public var rejectsFile: String?
    /// `true` when the job had finished before and this run found nothing new.
    public var nothingNew: Bool

    /// The JSON of `--summary-json`: at least records, units, confirmed, skipped_existing,
    /// rejects, rejects_by_reason, retries, rate_limited (429s met) and elapsed_s.
    public func json() -> [String: Any] {
        var out: [String: Any] = [
            "job_id": jobID, "target": target, "state": state.rawValue, "records": progress.records,
            "units": progress.units, "messages": progress.messages, "confirmed": progress.confirmed,
            "skipped_existing": progress.skippedExisting, "rejects": progress.rejects,
            "rejects_by_reason": progress.rejectsByReason, "retries": progress.retries,
            "rate_limited": progress.rateLimited,
            "elapsed_s": (progress.elapsed * 1000).rounded() / 1000, "deferred": progress.deferred,
            "skipped_messages": progress.skippedMessages, "skipped_by_reason": progress.skippedMessages,
            "ledger": ledgerCounts, "nothing_new": nothingNew,
        ]
        if let stopReason { out["stop_reason"] = stopReason }
        if let rejectsFile { out["rejects_file"] = rejectsFile }
        return out
    }

    /// Writes `json()` to `path` through a temporary file, mode 0600.
    public func write(to path: String) throws {
        let data = try JSONSerialization.data(withJSONObject: json(), options: [.prettyPrinted, .sortedKeys])
        try AtomicFile.write(data, to: path)
    }
}
