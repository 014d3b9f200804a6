import Foundation
import MemoryAPI
import Reading

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

extension RejectsFile {
    /// One line of a rejects file.
    public struct Line: Sendable, Hashable {
        /// The line number, for errors.
        public var number: Int
        /// The unit's import key; nil for a record that could not be read.
        public var importKey: String?
        /// The payload or raw record.
        public var record: JSONValue?
        /// Where it came from.
        public var locator: RecordLocator?

        /// The unit to send again: the add or batch item in `record`, under the same import key.
        public func unit(operation: PipelineSpec.Operation) -> ImportUnit? {
            guard let importKey, let record, case .object = record else { return nil }
            let payload: ImportUnit.Payload
            if operation == .add {
                guard var add = try? record.decode(AddRequest.self) else { return nil }
                var metadata = add.metadata ?? [:]
                metadata[MemoryFilter.importKeyField] = .string(importKey)
                add.metadata = metadata
                payload = .add(add)
            } else {
                guard let item = try? record.decode(BatchUpdateItem.self) else { return nil }
                payload = .batchUpdate(item)
            }
            return ImportUnit(
                payload: payload, importKey: importKey,
                locator: locator ?? RecordLocator(file: "rejects.ndjson", line: number),
                source: SourceFingerprint(identity: "replay", size: nil, modified: nil, headHash: ""), adapter: "replay"
            )
        }
    }

    /// Reads a rejects file; a line that is not JSON is an error naming its number.
    ///
    /// - Throws: `PipelineError` `.inputNotFound` when the file is missing, `.invalidJSON` for a bad line.
    public static func read(path: String) throws -> [Line] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineError(.inputNotFound, "no rejects file at \(path): the job has no rejects to replay")
        }
        var out: [Line] = []
        for (i, raw) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() where !raw.isEmpty {
            let value: JSONValue
            do {
                value = try JSONValue.parse(Data(raw))
            } catch {
                throw PipelineError(.invalidJSON, "\(path) line \(i + 1): \(MemoryAPIError.describe(error))")
            }
            out.append(
                Line(
                    number: i + 1, importKey: value["import_key"]?.stringValue, record: value["record"],
                    locator: value["locator"].flatMap { try? $0.decode(RecordLocator.self) }))
        }
        return out
    }
}
