import Foundation
import MemoryAPI

/// The rejects file of a job: one JSON line per reject with the record, its locator, the
/// reason and the status, mode 0600. It is rewritten from the ledger after every run, so it
/// always agrees with the ledger and never lists a reject twice.
public enum RejectsFile {
    /// `<state-dir>/<job-id>/rejects.ndjson`.
    public static func path(stateDirectory: URL, jobID: String) -> String {
        stateDirectory.appendingPathComponent(jobID).appendingPathComponent("rejects.ndjson").path
    }

    /// Rewrites the file from the ledger's rejects; removes it when there are none.
    ///
    /// - Returns: the path, or nil when the job has no rejects.
    @discardableResult
    public static func write(ledger: Ledger, jobID: String) async throws -> String? {
        let rejects = try await ledger.rejects(jobID: jobID, includeReplayed: false)
        let path = Self.path(stateDirectory: ledger.directory, jobID: jobID)
        guard !rejects.isEmpty else {
            try? FileManager.default.removeItem(atPath: path)
            return nil
        }
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        var out = Data()
        for r in rejects {
            var line: [String: JSONValue] = [
                "job_id": .string(jobID), "reason": .string(r.reason), "message": .string(r.message),
                "locator": (try? JSONValue.parse(r.locator)) ?? .string(r.locator),
            ]
            if let status = r.status { line["status"] = .int(Int64(status)) }
            if let key = r.importKey { line["import_key"] = .string(key) }
            if let record = r.record { line["record"] = (try? JSONValue.parse(record)) ?? .string(record) }
            out.append(Data(JSONValue.object(line).jsonString().utf8))
            out.append(0x0A)
        }
        try AtomicFile.write(out, to: path)
        return path
    }
}
