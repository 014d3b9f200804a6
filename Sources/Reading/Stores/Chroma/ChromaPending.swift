import Foundation
import GRDB
import MemoryAPI

/// Writes Chroma has logged (`embeddings_queue`) but not yet applied to the collection's metadata
/// segment: entries with a `seq_id` above the segment's `max_seq_id`. Chroma applies them on its
/// next compaction; a process that stopped before it leaves them only in the log. They are
/// folded in here, in log order (add, update, upsert, delete), so the reader returns what
/// Chroma's own `get` would.
struct ChromaPending {
    /// The state of one id after the pending entries.
    struct Change {
        /// The full payload of an id added (or re-added) by a pending entry.
        var base: [String: JSONValue]?
        /// Keys set (or removed, as `.null`) by pending updates of an id already applied.
        var patch: [String: JSONValue] = [:]
        /// A pending upsert: create the id from `patch` when the segment does not hold it.
        var createIfMissing = false
        /// Deleted by a pending entry (and not added again after).
        var deleted = false
    }

    /// Changes by id.
    var changes: [String: Change] = [:]
    /// Ids in the order their first pending entry came, for the ids the segment does not hold.
    var order: [String] = []
    /// How many entries were pending.
    var count = 0

    /// Chroma's operation codes in `embeddings_queue.operation`.
    enum Operation: Int64 {
        case add = 0
        case update = 1
        case upsert = 2
        case delete = 3
    }

    /// Reads the pending entries of a collection's log.
    static func read(_ db: Database, collectionID: String, segmentID: String) throws -> ChromaPending {
        var pending = ChromaPending()
        guard try db.tableExists("embeddings_queue") else { return pending }
        let columns = Set(try db.columns(in: "embeddings_queue").map { $0.name.lowercased() })
        guard columns.isSuperset(of: ["seq_id", "operation", "topic", "id", "metadata"]) else { return pending }
        var applied: Int64 = 0
        if try db.tableExists("max_seq_id"),
            let row = try Row.fetchOne(
                db, sql: "SELECT seq_id FROM max_seq_id WHERE segment_id = ?", arguments: [segmentID])
        {
            applied = Self.sequence(row[0])
        }
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT seq_id, operation, id, metadata FROM embeddings_queue
                WHERE topic LIKE ? AND seq_id > ? ORDER BY seq_id
                """, arguments: ["%" + collectionID, applied])
        while let row = try rows.next() {
            let id: String = row["id"] ?? ""
            let code: Int64 = row["operation"] ?? -1
            guard let operation = Operation(rawValue: code) else { continue }
            let text: String? = row["metadata"]
            var metadata: [String: JSONValue] = [:]
            if let text, case .object(let object)? = try? JSONValue.parse(Data(text.utf8)) {
                metadata = object.filter { !$0.key.hasPrefix("chroma:") }
            }
            pending.count += 1
            pending.apply(operation, id: id, metadata: metadata)
        }
        return pending
    }

    mutating func apply(_ operation: Operation, id: String, metadata: [String: JSONValue]) {
        if changes[id] == nil { order.append(id) }
        var change = changes[id] ?? Change()
        switch operation {
        case .add:
            if change.base == nil || change.deleted {
                change = Change(base: metadata.filter { !$0.value.isNull })
            }
        case .update, .upsert:
            if change.deleted {
                if operation == .upsert { change = Change(base: metadata.filter { !$0.value.isNull }) }
            } else if var base = change.base {
                Self.merge(metadata, into: &base)
                change.base = base
            } else {
                for (k, v) in metadata { change.patch[k] = v }
                if operation == .upsert { change.createIfMissing = true }
            }
        case .delete:
            change = Change(deleted: true)
        }
        changes[id] = change
    }

    /// The payload of an id the segment holds, with the pending changes; nil when deleted.
    func applied(to payload: [String: JSONValue], id: String) -> [String: JSONValue]? {
        guard let change = changes[id] else { return payload }
        if change.deleted { return nil }
        if let base = change.base { return base }
        var out = payload
        Self.merge(change.patch, into: &out)
        return out
    }

    /// The ids the segment did not hold that pending entries created, in log order.
    func created(excluding seen: Set<String>) -> [(String, [String: JSONValue])] {
        order.compactMap { id in
            guard !seen.contains(id), let change = changes[id], !change.deleted else { return nil }
            if let base = change.base { return (id, base) }
            if change.createIfMissing { return (id, change.patch.filter { !$0.value.isNull }) }
            return nil
        }
    }

    /// Chroma's update: a key set to null is removed.
    static func merge(_ patch: [String: JSONValue], into payload: inout [String: JSONValue]) {
        for (k, v) in patch {
            if v.isNull { payload[k] = nil } else { payload[k] = v }
        }
    }

    /// `max_seq_id.seq_id`: an integer, or 8 big-endian bytes in Chroma 0.4.
    static func sequence(_ value: DatabaseValue) -> Int64 {
        switch value.storage {
        case .int64(let n): return n
        case .blob(let data): return data.prefix(8).reduce(0) { ($0 << 8) | Int64($1) }
        default: return 0
        }
    }
}
