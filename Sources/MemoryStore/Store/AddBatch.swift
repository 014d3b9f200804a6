import Foundation
import GRDB
import MemoryAPI

/// The add calls of one write transaction, applied one after another.
///
/// Before the first call it reads, in a few queries, which of the batch's texts are already
/// stored in their scopes, and it keeps that map up to date as it inserts, so the "same text in
/// the same scope is a NOOP" rule costs no query per message. Entities are touched once per
/// scope per batch, and full-text entries are written once at the end (``finish(_:)``).
struct AddBatch {
    /// A text in a scope: what makes two memories the same.
    struct SameText: Hashable {
        var hash: String
        var text: String
        var scope: Scope

        /// The content hash and the user id tell texts apart; equality still compares all.
        func hash(into hasher: inout Hasher) {
            hasher.combine(hash)
            ExactText.hash(scope.userID, into: &hasher)
        }

        /// Byte equality: `"café"` and `"cafe\u{301}"` are two texts (and two users).
        static func == (a: SameText, b: SameText) -> Bool {
            a.hash == b.hash && a.text.isExactly(b.text) && a.scope == b.scope
        }
    }

    let project: Int64
    let now: Date
    private let firstNewSeq: Int64
    private var known: [SameText: String] = [:]
    private var touched: Set<Scope> = []
    private var lastInserted: [SameText] = []
    private var lastTouched: [Scope] = []
    private let insertMemory: InsertStatement
    private let insertHistory: InsertStatement
    private let insertEvent: InsertStatement

    /// Reads what the plans' texts already match in the store.
    init(plans: [MemoryStore.AddPlan], db: Database, project: Int64, now: Date) throws {
        self.project = project
        self.now = now
        firstNewSeq = try MemoryStore.lastSeq(db)
        insertMemory = try InsertStatement(
            db,
            sql: """
                INSERT INTO memories (id, project, memory, hash, user_id, agent_id, app_id, run_id,
                    metadata, categories, immutable, expiration_date, expiration_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        insertHistory = try InsertStatement(
            db,
            sql: """
                INSERT INTO history (id, project, memory_id, event, new_memory, input,
                    user_id, agent_id, app_id, run_id, metadata, categories, created_at, updated_at)
                VALUES (?, ?, ?, 'ADD', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        insertEvent = try InsertStatement(
            db,
            sql: """
                INSERT INTO events (id, project, event_type, status, results, created_at, completed_at)
                VALUES (?, ?, 'ADD', 'SUCCEEDED', ?, ?, ?)
                """)
        var wanted: Set<String> = []
        for plan in plans {
            for message in plan.messages { wanted.insert(message.hash) }
        }
        let hashes = Array(wanted)
        let widest = Self.lookupSQL[Self.lookupSQL.count - 1]
        for start in stride(from: 0, to: hashes.count, by: widest.width) {
            let slice = hashes[start..<min(start + widest.width, hashes.count)]
            // The list is padded with NULLs (which match nothing) to one of a few widths, so the
            // statement is prepared once per connection instead of once per call.
            let (width, sql) = Self.lookupSQL.first { $0.width >= slice.count } ?? widest
            var values = [project.databaseValue] + slice.map(\.databaseValue)
            values += Array(repeating: DatabaseValue.null, count: width - slice.count)
            let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: StatementArguments(values))
            while let row = try rows.next() {
                let scope = Scope(
                    userID: MemoryRow.exactText(row[3]), agentID: MemoryRow.exactText(row[4]),
                    appID: MemoryRow.exactText(row[5]), runID: MemoryRow.exactText(row[6]))
                // The hash index lists equal hashes in insertion order: the first stored one is kept.
                let same = SameText(hash: row[1], text: MemoryRow.exactText(row[2]) ?? "", scope: scope)
                if known[same] == nil { known[same] = row[0] }
            }
        }
    }

    /// The same-text lookup for lists of up to 8, 64 and 500 hashes, widest last.
    static let lookupSQL: [(width: Int, sql: String)] = [8, 64, 500].map { width in
        let marks = Array(repeating: "?", count: width).joined(separator: ",")
        return (
            width,
            """
            SELECT id, hash, CAST(memory AS BLOB), CAST(user_id AS BLOB), CAST(agent_id AS BLOB),
                CAST(app_id AS BLOB), CAST(run_id AS BLOB) FROM memories INDEXED BY memories_hash
            WHERE project = ? AND hash IN (\(marks))
            """
        )
    }

    /// Stores a planned add: each message once per scope (the same text already there is a NOOP),
    /// with its history, entities and the finished event.
    mutating func apply(_ plan: MemoryStore.AddPlan, db: Database) throws -> [AddEvent] {
        lastInserted = []
        lastTouched = []
        let created = (plan.created ?? plan.now).timeIntervalSince1970
        let at = plan.now.timeIntervalSince1970
        let project = project
        var results: [AddEvent] = []
        results.reserveCapacity(plan.messages.count)
        var allAdded = true
        for planned in plan.messages {
            let target = planned.scope
            let same = SameText(hash: planned.hash, text: planned.text, scope: target)
            if let existing = known[same] {
                results.append(AddEvent(id: existing, memory: planned.text, event: .noop, scope: target))
                allAdded = false
                continue
            }
            try insertMemory.run { bind in
                bind(1, planned.memoryID)
                bind(2, project)
                bind(3, planned.text)
                bind(4, planned.hash)
                bind(5, target.userID)
                bind(6, target.agentID)
                bind(7, target.appID)
                bind(8, target.runID)
                bind(9, plan.metadata)
                bind(10, plan.categories)
                bind(11, Int64(plan.immutable ? 1 : 0))
                bind(12, plan.expiration?.text)
                bind(13, plan.expiration?.at)
                bind(14, created)
                bind(15, created)
            }
            known[same] = planned.memoryID
            lastInserted.append(same)
            try insertHistory.run { bind in
                bind(1, planned.historyID)
                bind(2, project)
                bind(3, planned.memoryID)
                bind(4, planned.text)
                bind(5, planned.input)
                bind(6, target.userID)
                bind(7, target.agentID)
                bind(8, target.appID)
                bind(9, target.runID)
                bind(10, plan.metadata)
                bind(11, plan.categories)
                bind(12, at)
                bind(13, at)
            }
            if touched.insert(target).inserted {
                lastTouched.append(target)
                try MemoryStore.touchEntities(db, project: project, scope: target, at: now)
            }
            results.append(AddEvent(id: planned.memoryID, memory: planned.text, event: .add, scope: target))
        }
        let resultsJSON = allAdded ? plan.allAdded : MemoryRow.json(results)
        try insertEvent.run { bind in
            bind(1, plan.eventID)
            bind(2, project)
            bind(3, resultsJSON)
            bind(4, at)
            bind(5, at)
        }
        return results
    }

    /// Forgets what the last ``apply(_:db:)`` stored, after its savepoint was rolled back.
    mutating func rollBackLast() {
        for same in lastInserted { known[same] = nil }
        for scope in lastTouched { touched.remove(scope) }
        lastInserted = []
        lastTouched = []
    }

    /// Writes the full-text entries of every memory the batch stored.
    func finish(_ db: Database) throws {
        try MemoryStore.indexNewMemories(db, after: firstNewSeq)
    }
}
