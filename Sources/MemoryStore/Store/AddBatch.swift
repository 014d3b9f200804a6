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
    }

    let project: Int64
    let now: Date
    private let firstNewSeq: Int64
    private var known: [SameText: String] = [:]
    private var touched: Set<Scope> = []
    private var lastInserted: [SameText] = []
    private var lastTouched: [Scope] = []

    /// Reads what the plans' texts already match in the store.
    init(plans: [MemoryStore.AddPlan], db: Database, project: Int64, now: Date) throws {
        self.project = project
        self.now = now
        firstNewSeq = try MemoryStore.lastSeq(db)
        var wanted: Set<String> = []
        for plan in plans {
            for (_, text, _) in plan.messages { wanted.insert(MemoryRow.hash(text)) }
        }
        let hashes = Array(wanted)
        for start in stride(from: 0, to: hashes.count, by: 500) {
            let slice = hashes[start..<min(start + 500, hashes.count)]
            let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, hash, memory, user_id, agent_id, app_id, run_id FROM memories INDEXED BY memories_hash
                    WHERE project = ? AND hash IN (\(marks))
                    """, arguments: StatementArguments([project.databaseValue] + slice.map(\.databaseValue)))
            while let row = try rows.next() {
                let scope = Scope(
                    userID: row["user_id"], agentID: row["agent_id"], appID: row["app_id"], runID: row["run_id"])
                // The hash index lists equal hashes in insertion order: the first stored one is kept.
                let same = SameText(hash: row["hash"], text: row["memory"], scope: scope)
                if known[same] == nil { known[same] = row["id"] }
            }
        }
    }

    /// Stores a planned add: each message once per scope (the same text already there is a NOOP),
    /// with its history, entities and the finished event.
    mutating func apply(_ plan: MemoryStore.AddPlan, db: Database) throws -> [AddEvent] {
        lastInserted = []
        lastTouched = []
        let created = (plan.created ?? now).timeIntervalSince1970
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO memories (id, project, memory, hash, user_id, agent_id, app_id, run_id,
                    metadata, categories, immutable, expiration_date, expiration_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        var results: [AddEvent] = []
        results.reserveCapacity(plan.messages.count)
        for (message, text, target) in plan.messages {
            let same = SameText(hash: MemoryRow.hash(text), text: text, scope: target)
            if let existing = known[same] {
                results.append(AddEvent(id: existing, memory: text, event: .noop, scope: target))
                continue
            }
            let id = MemoryStore.newID()
            try insert.execute(arguments: [
                id, project, text, same.hash, target.userID, target.agentID, target.appID, target.runID,
                plan.metadata, plan.categories, plan.immutable ? 1 : 0, plan.expiration?.text, plan.expiration?.at,
                created, created,
            ])
            known[same] = id
            lastInserted.append(same)
            try MemoryRow.recordHistory(
                db, project: project, memoryID: id, event: .add, old: nil, new: text, input: [message],
                scope: target, metadata: plan.metadata, categories: plan.categories, at: now)
            if touched.insert(target).inserted {
                lastTouched.append(target)
                try MemoryStore.touchEntities(db, project: project, scope: target, at: now)
            }
            results.append(AddEvent(id: id, memory: text, event: .add, scope: target))
        }
        try MemoryStore.recordEvent(db, id: plan.eventID, project: project, type: "ADD", results: results, at: now)
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
