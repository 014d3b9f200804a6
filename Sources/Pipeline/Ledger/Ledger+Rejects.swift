import Foundation
import GRDB
import MemoryAPI
import Reading

extension Ledger {
    /// Rejects hold the record itself: what it is (`kind`), the preset that read it, the source
    /// it came from and its length, so the rejects file can show it and a replay can map it again.
    static func registerRejectRecordMigration(_ m: inout DatabaseMigrator) {
        m.registerMigration("v4-reject-record") { db in
            try db.execute(
                sql: """
                    ALTER TABLE reject ADD COLUMN kind TEXT;
                    ALTER TABLE reject ADD COLUMN preset TEXT;
                    ALTER TABLE reject ADD COLUMN source TEXT;
                    ALTER TABLE reject ADD COLUMN length INTEGER;
                    """)
        }
    }

    /// Marks input rejects as resolved by a replay: they leave the rejects file, and a run that
    /// reads the unfixed input again does not list them again.
    public func resolveRejects(jobID: String, keys: [String]) async throws {
        guard !keys.isEmpty else { return }
        try await wrap { [pool] in
            try await pool.write { db in
                for key in keys {
                    try db.execute(
                        sql:
                            "UPDATE reject SET replayed = 1 WHERE job_id = ? AND reject_key = ? AND import_key IS NULL",
                        arguments: [jobID, key])
                }
            }
        }
    }

    /// The keys of the job's input rejects a replay resolved.
    public func resolvedInputRejects(jobID: String) async throws -> Set<String> {
        try await wrap { [pool] in
            try await pool.read { db in
                Set(
                    try String.fetchAll(
                        db,
                        sql: "SELECT reject_key FROM reject WHERE job_id = ? AND import_key IS NULL AND replayed = 1",
                        arguments: [jobID]))
            }
        }
    }
}

extension LedgerReject {
    /// The most bytes of input that is not JSON a reject keeps (its offset and length say where
    /// the rest is).
    public static let rawBound = 1 << 20

    /// The ledger's row for a reject the reader or an adapter found: the record as JSON when it
    /// is JSON, a CSV row as an object of column to value, anything else as text cut to
    /// `rawBound` bytes.
    public init(input r: ImportReject) {
        let locator = r.locator.json.jsonString()
        var message = r.message
        if let path = r.path { message += " (at \(path))" }
        var kind = Kind.raw
        var record: String?
        switch r.record {
        case .bytes(let data):
            if let value = try? JSONValue.parse(data) {
                kind = .record
                record = value.jsonString()
            } else {
                record = JSONValue.string(String(decoding: data.prefix(Self.rawBound), as: UTF8.self)).jsonString()
            }
        case .text(let data):
            record = JSONValue.string(String(decoding: data.prefix(Self.rawBound), as: UTF8.self)).jsonString()
        case .row(let row):
            kind = .row
            var object: [String: JSONValue] = [:]
            for (i, column) in row.header.enumerated() where i < row.fields.count {
                object[column] = .string(row.fields[i])
            }
            record = JSONValue.object(object).jsonString()
        case .unread, nil:
            record = r.raw.map { JSONValue.string($0).jsonString() }
        }
        self.init(
            key: Self.key(locator: locator, reason: r.reason.rawValue), reason: r.reason.rawValue, message: message,
            locator: locator, record: record, kind: kind, preset: r.preset?.rawValue, source: r.source,
            length: r.record?.length)
    }

    /// The key of an input reject: its place and its reason.
    static func key(locator: String, reason: String) -> String { SHA256.hex(locator + "\u{1F}" + reason) }
}
