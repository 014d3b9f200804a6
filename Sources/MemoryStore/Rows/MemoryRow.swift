import Foundation
import GRDB
import MemoryAPI

/// Reading and writing the columns of the `memories` and `history` tables.
enum MemoryRow {
    /// The columns ``memory(_:)`` reads, qualified by the alias `m`.
    ///
    /// The text and the scope ids are read as blobs, so a NUL inside them is kept (GRDB reads a
    /// text value up to its first NUL).
    static let columns =
        "m.id, CAST(m.memory AS BLOB), m.hash, CAST(m.user_id AS BLOB), CAST(m.agent_id AS BLOB), "
        + "CAST(m.app_id AS BLOB), CAST(m.run_id AS BLOB), m.metadata, m.categories, "
        + "m.immutable, m.expiration_date, m.created_at, m.updated_at"

    /// A memory from a row selected with ``columns`` first (read by position: a lookup by name
    /// lowercases the name on every read, which a page of 200 memories does 2,600 times).
    ///
    /// A time stored out of range (before memport checked timestamps) is served as it is: see
    /// `MemoryTimestamp.format`.
    static func memory(_ row: Row) -> Memory {
        Memory(
            id: row[0], memory: exactText(row[1]) ?? "",
            scope: Scope(
                userID: exactText(row[3]), agentID: exactText(row[4]), appID: exactText(row[5]),
                runID: exactText(row[6])),
            metadata: object(row[7]), categories: strings(row[8]),
            immutable: (row[9] as Int64? ?? 0) != 0, expirationDate: row[10],
            createdAt: date(row[11]), updatedAt: date(row[12]), hash: row[2])
    }

    /// A text read with every byte: a blob (from `CAST(column AS BLOB)`) as UTF-8, or a text.
    static func exactText(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .blob(let data): return String(decoding: data, as: UTF8.self)
        case .string(let s): return s
        case .int64(let i): return String(i)
        case .double(let d): return String(d)
        case .null: return nil
        }
    }

    /// A time column (seconds since 1970); a value that is not a number reads as the epoch.
    static func date(_ value: DatabaseValue) -> Date {
        Date(timeIntervalSince1970: Double.fromDatabaseValue(value) ?? 0)
    }

    /// The placeholder and value that store `text` with every byte (see `FilterSQL.text`).
    static func bind(_ text: String?) -> (mark: String, value: DatabaseValue) {
        guard let text else { return ("?", .null) }
        return FilterSQL.text(text)
    }

    /// A JSON object column.
    static func object(_ text: String?) -> [String: JSONValue]? {
        guard let text, let v = try? JSONValue.parse(text) else { return nil }
        return v.objectValue
    }

    /// A JSON array-of-strings column.
    static func strings(_ text: String?) -> [String]? {
        guard let text, let v = try? JSONValue.parse(text), let a = v.arrayValue else { return nil }
        return a.compactMap(\.stringValue)
    }

    /// JSON text for an object, or nil.
    static func json(_ object: [String: JSONValue]?) -> String? {
        object.map { JSONValue.object($0).jsonString() }
    }

    /// Compact JSON text for any encodable value (one encoding pass), or nil when it cannot be encoded.
    static func encode(_ value: some Encodable) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// JSON text for a history entry's input messages: `{content, name?, role}` each (the keys
    /// in the sorted order `JSONValue` writes), written directly for text messages (the bulk of
    /// every import); other content goes through its encoder.
    static func json(_ messages: [Message]) -> String? {
        var out = "["
        for (i, m) in messages.enumerated() {
            guard case .text(let text) = m.content else { return encode(messages) }
            out += i == 0 ? "{\"content\":" : ",{\"content\":"
            JSONValue.writeString(text, into: &out)
            if let name = m.name {
                out += ",\"name\":"
                JSONValue.writeString(name, into: &out)
            }
            out += ",\"role\":"
            JSONValue.writeString(m.role.rawValue, into: &out)
            out += "}"
        }
        return out + "]"
    }

    /// JSON text for an event's results: event, id, memory and the scope ids of each, in sorted
    /// key order, written directly.
    static func json(_ results: [AddEvent]) -> String {
        var out = "["
        for (i, r) in results.enumerated() {
            out += i == 0 ? "{" : ",{"
            var first = true
            func field(_ key: String, _ value: String?) {
                guard let value else { return }
                out += first ? "\"" : ",\""
                first = false
                out += key + "\":"
                JSONValue.writeString(value, into: &out)
            }
            field("agent_id", r.scope?.agentID)
            field("app_id", r.scope?.appID)
            field("event", r.event?.rawValue)
            field("id", r.id)
            field("memory", r.memory)
            field("run_id", r.scope?.runID)
            field("user_id", r.scope?.userID)
            out += "}"
        }
        return out + "]"
    }

    /// JSON text for a list of strings, or nil.
    static func json(_ list: [String]?) -> String? {
        list.map { JSONValue.array($0.map(JSONValue.string)).jsonString() }
    }

    /// A 32-hex content hash of the text (two FNV-1a 64-bit hashes; not MD5).
    static func hash(_ text: String) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in text.utf8 {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 &+ 0x9E37_79B9
        }
        return hex(a) + hex(b)
    }

    private static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// Records a history entry.
    static func recordHistory(
        _ db: Database, project: Int64, memoryID: String, event: MemoryEventKind, old: String?, new: String?,
        input: [Message]?, scope: Scope, metadata: String?, categories: String?, at: Date
    ) throws {
        let inputText = input.flatMap { json($0) }
        let texts = [old, new, scope.userID, scope.agentID, scope.appID, scope.runID].map(bind)
        try db.cachedStatement(
            sql: """
                INSERT INTO history (id, project, memory_id, event, old_memory, new_memory, input,
                    user_id, agent_id, app_id, run_id, metadata, categories, created_at, updated_at)
                VALUES (?, ?, ?, ?, \(texts[0].mark), \(texts[1].mark), ?, \(texts[2].mark), \(texts[3].mark),
                    \(texts[4].mark), \(texts[5].mark), ?, ?, ?, ?)
                """
        ).execute(arguments: StatementArguments(historyValues(texts.map(\.value), inputText, metadata, categories)))

        func historyValues(_ t: [DatabaseValue], _ input: String?, _ metadata: String?, _ categories: String?)
            -> [DatabaseValue]
        {
            let id: DatabaseValue = MemoryStore.newID().databaseValue
            let time: DatabaseValue = at.timeIntervalSince1970.databaseValue
            var values: [DatabaseValue] = [id, project.databaseValue, memoryID.databaseValue]
            values += [event.rawValue.databaseValue, t[0], t[1], input?.databaseValue ?? DatabaseValue.null]
            values += [t[2], t[3], t[4], t[5]]
            values += [metadata?.databaseValue ?? DatabaseValue.null, categories?.databaseValue ?? DatabaseValue.null]
            values += [time, time]
            return values
        }
    }

    /// Records a DELETE history entry for every memory `whereSQL` selects (aliased `m`).
    static func recordDeletes(_ db: Database, project: Int64, whereSQL: String, arguments: [DatabaseValue], at: Date)
        throws
    {
        let now = at.timeIntervalSince1970
        try db.execute(
            sql: """
                INSERT INTO history (id, project, memory_id, event, old_memory, new_memory, input,
                    user_id, agent_id, app_id, run_id, metadata, categories, created_at, updated_at)
                SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2)
                        || '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
                    m.project, m.id, 'DELETE', m.memory, NULL, NULL,
                    m.user_id, m.agent_id, m.app_id, m.run_id, m.metadata, m.categories, ?, ?
                FROM memories m WHERE m.project = ? AND \(whereSQL)
                """,
            arguments: StatementArguments([now.databaseValue, now.databaseValue, project.databaseValue] + arguments))
    }
}
