import Foundation
import MemoryAPI
import Reading

/// The rejects file of a job: one JSON line per reject, mode 0600. It is rewritten from the
/// ledger after every run, so it always agrees with the ledger and never lists a reject twice.
///
/// Each line holds the record itself, so it can be fixed in place and replayed:
///
/// - `kind`: `record` (an input record that is JSON: `record` is it), `row` (a CSV row: `record`
///   is an object of column to value), `raw` (input that is not JSON: `raw` is its text, cut to
///   `LedgerReject.rawBound` bytes, `raw_truncated` says so) or `unit` (a unit the target
///   refused: `record` is the add or batch item as sent, `status` the HTTP status).
/// - `id`, `job_id`, `reason`, `message`, `locator` (file, line or element, byte offset,
///   conversation and message ids); for input, `offset` and `length` of the record in the
///   (uncompressed) input, `preset` and `source`; for units, `import_key` and `status`.
///
/// The file never holds a key: credential-shaped text in messages is redacted.
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
            out.append(Data(line(r, jobID: jobID).jsonString().utf8))
            out.append(0x0A)
        }
        try AtomicFile.write(out, to: path)
        return path
    }

    /// One reject as a line of the file.
    public static func line(_ r: LedgerReject, jobID: String) -> JSONValue {
        let locator = (try? JSONValue.parse(r.locator)) ?? .string(r.locator)
        var line: [String: JSONValue] = [
            "id": .string(r.key), "job_id": .string(jobID), "kind": .string(r.kind.rawValue),
            "reason": .string(r.reason), "message": .string(SecretRedaction.redact(r.message)), "locator": locator,
        ]
        if let status = r.status { line["status"] = .int(Int64(status)) }
        if let key = r.importKey { line["import_key"] = .string(key) }
        let parsed = r.record.map { (try? JSONValue.parse($0)) ?? .string($0) }
        switch r.kind {
        case .unit, .record, .row:
            if let parsed { line["record"] = parsed }
        case .raw:
            if let text = parsed?.stringValue {
                line["raw"] = .string(text)
                line["raw_truncated"] = .bool((r.length ?? 0) > Int64(text.utf8.count))
            }
        }
        if r.kind != .unit {
            if let offset = locator["offset"] { line["offset"] = offset }
            if let length = r.length { line["length"] = .int(length) }
            if let preset = r.preset { line["preset"] = .string(preset) }
            if let source = r.source { line["source"] = .string(source) }
        }
        return .object(line)
    }
}

extension RejectsFile {
    /// One line of a rejects file.
    public struct Line: Sendable, Hashable {
        /// The line number, for errors.
        public var number: Int
        /// The reject's id in the ledger.
        public var id: String?
        /// What `record` holds.
        public var kind: LedgerReject.Kind
        /// The unit's import key; nil for an input record.
        public var importKey: String?
        /// The payload or the input record, as the user may have fixed it.
        public var record: JSONValue?
        /// Input that is not JSON, as text (the user may fix it into JSON).
        public var raw: String?
        /// `true` when `raw` holds only the first bytes of the record.
        public var rawTruncated: Bool
        /// The preset that read the input record.
        public var preset: ImportPreset?
        /// The identity of the input the record came from.
        public var source: String?
        /// Where it came from.
        public var locator: RecordLocator?

        /// Creates a line.
        public init(
            number: Int, id: String? = nil, kind: LedgerReject.Kind, importKey: String? = nil,
            record: JSONValue? = nil, raw: String? = nil, rawTruncated: Bool = false, preset: ImportPreset? = nil,
            source: String? = nil, locator: RecordLocator? = nil
        ) {
            self.number = number
            self.id = id
            self.kind = kind
            self.importKey = importKey
            self.record = record
            self.raw = raw
            self.rawTruncated = rawTruncated
            self.preset = preset
            self.source = source
            self.locator = locator
        }

        /// The unit to send again: the add or batch item in `record`, under the same import key.
        public func unit(operation: PipelineSpec.Operation) -> ImportUnit? {
            guard kind == .unit, let importKey, let record, case .object = record else { return nil }
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
            let importKey = value["import_key"]?.stringValue
            // Files written before kinds existed: a line with an import key is a unit.
            let kind =
                value["kind"]?.stringValue.flatMap(LedgerReject.Kind.init(rawValue:))
                ?? (importKey == nil ? .raw : .unit)
            var record = value["record"]
            if case .null? = record { record = nil }
            out.append(
                Line(
                    number: i + 1, id: value["id"]?.stringValue, kind: kind, importKey: importKey, record: record,
                    raw: value["raw"]?.stringValue ?? (kind == .raw ? record?.stringValue : nil),
                    rawTruncated: value["raw_truncated"]?.boolValue ?? false,
                    preset: value["preset"]?.stringValue.flatMap(ImportPreset.init(rawValue:)),
                    source: value["source"]?.stringValue,
                    locator: value["locator"].flatMap { try? $0.decode(RecordLocator.self) }))
        }
        return out
    }
}
