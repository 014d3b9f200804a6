import Foundation
import GRDB
import MemoryAPI

/// Chroma's persistent client folder, read from `chroma.sqlite3`: the collection's metadata
/// segment (`collections` → `segments` with scope `METADATA` → `embeddings` → one
/// `embedding_metadata` row per payload key). mem0 keeps the text in metadata key `data`, not in
/// Chroma's document; the vectors (the HNSW files beside it) are not read.
///
/// The layout is probed first (`ChromaLayout`): tables and columns differ between Chroma
/// versions, and a file of a layout memport does not read fails with the migrations it has applied.
/// Writes still only in Chroma's log (`ChromaPending`) are folded in.
final class ChromaReader: StoreReader {
    let spec: StoreSpec
    private let file: SQLiteFile
    private let layout: ChromaLayout
    private let segmentID: String
    private let pending: ChromaPending
    private let batchSize: Int
    /// The segment row id of the last row read.
    private var after: Int64 = Int64.min
    /// The segment is read to its end.
    private var done = false
    /// The points only in the log (created by pending entries), found when the segment ends.
    private var created: [(String, [String: JSONValue])]?
    /// How many of `created` were given.
    private var logged = 0
    private var ended = false

    var position: StorePosition {
        StorePosition(after: after == Int64.min ? nil : String(after), logged: done ? logged : nil, ended: ended)
    }

    init(spec: StoreSpec, batchSize: Int, from position: StorePosition = .start) throws {
        self.spec = spec
        self.batchSize = max(1, batchSize)
        if let key = position.after {
            guard let row = Int64(key) else {
                throw ReadingError.store(
                    .usage, "a Chroma position is a row id, got '\(key)'", store: spec.storeDescription,
                    collection: spec.collection)
            }
            after = row
        }
        if let logged = position.logged {
            done = true
            self.logged = logged
        }
        ended = position.ended
        let store = spec.storeDescription
        file = try SQLiteFile(path: try spec.sqliteFile(), store: store)
        layout = try ChromaLayout.probe(file, store: store)
        let ids = try layout.metadataSegment(file, collection: spec.collection, store: store)
        segmentID = ids.segment
        do {
            pending = try file.queue.read { db in
                try ChromaPending.read(db, collectionID: ids.collection, segmentID: ids.segment)
            }
        } catch {
            throw ReadingError.store(
                .storeQuery, "cannot read Chroma's log (embeddings_queue)", store: store, collection: spec.collection,
                cause: "\(error)")
        }
    }

    func next() throws -> [StorePoint]? {
        while !ended {
            if !done {
                let points = try nextFromSegment()
                if !points.isEmpty { return points }
                continue
            }
            // The points only in the log, after the segment's rows, a batch at a time.
            let all = try created ?? loggedOnly()
            created = all
            guard logged < all.count else {
                ended = true
                break
            }
            let batch = all[logged..<min(logged + batchSize, all.count)]
            logged += batch.count
            return batch.map { StorePoint(id: $0.0, payload: .success($0.1)) }
        }
        return nil
    }

    /// The ids pending entries created that the segment does not hold, in log order. Asked of
    /// the segment (not remembered while reading it), so a reader opened after the segment's
    /// end finds the same list.
    private func loggedOnly() throws -> [(String, [String: JSONValue])] {
        let ids = pending.order
        guard !ids.isEmpty else { return [] }
        var held: Set<String> = []
        do {
            try file.queue.read { db in
                for start in stride(from: 0, to: ids.count, by: 500) {
                    let part = Array(ids[start..<min(start + 500, ids.count)])
                    let sql =
                        "SELECT embedding_id FROM embeddings WHERE segment_id = ? AND embedding_id IN ("
                        + part.map { _ in "?" }.joined(separator: ",") + ")"
                    held.formUnion(
                        try String.fetchAll(db, sql: sql, arguments: StatementArguments([segmentID] + part)))
                }
            }
        } catch {
            throw ReadingError.store(
                .storeQuery, "cannot read the collection's metadata segment", store: spec.storeDescription,
                collection: spec.collection, cause: "\(error)")
        }
        return pending.created(excluding: held)
    }

    /// The next batch of the segment's rows with the pending changes applied (may be empty when
    /// every row of a batch was deleted by a pending entry).
    private func nextFromSegment() throws -> [StorePoint] {
        let boolColumn = layout.hasBoolValue ? "m.bool_value" : "NULL"
        let sql = """
            SELECT e.id, e.embedding_id, m.key, m.string_value, m.int_value, m.float_value, \(boolColumn)
            FROM (SELECT id, embedding_id FROM embeddings WHERE segment_id = ? AND id > ? ORDER BY id LIMIT ?) e
            LEFT JOIN embedding_metadata m ON m.id = e.id
            ORDER BY e.id
            """
        var points: [StorePoint] = []
        do {
            try file.queue.read { db in
                let rows = try Row.fetchCursor(db, sql: sql, arguments: [segmentID, after, batchSize])
                var currentRow: Int64?
                var currentID = ""
                var payload: [String: JSONValue] = [:]
                var count = 0
                func flush() {
                    guard currentRow != nil else { return }
                    if pending.changes[currentID] != nil {
                        if let changed = pending.applied(to: payload, id: currentID) {
                            points.append(StorePoint(id: currentID, payload: .success(changed)))
                        }
                    } else {
                        points.append(StorePoint(id: currentID, payload: .success(payload)))
                    }
                    payload = [:]
                }
                while let row = try rows.next() {
                    let rowID: Int64 = row[0]
                    if rowID != currentRow {
                        flush()
                        currentRow = rowID
                        currentID = row[1] ?? ""
                        count += 1
                    }
                    guard let key: String = row[2], !key.hasPrefix("chroma:") else { continue }
                    payload[key] = Self.value(row)
                }
                flush()
                if let currentRow { after = currentRow }
                if count < batchSize { done = true }
            }
            if let table = layout.listTable, !points.isEmpty { try addLists(to: &points, from: table) }
        } catch let error as ReadingError {
            throw error
        } catch {
            throw ReadingError.store(
                .storeQuery, "cannot read the collection's metadata segment", store: spec.storeDescription,
                collection: spec.collection, cause: "\(error)")
        }
        return points
    }

    func close() {}

    /// Chroma's typed value columns as JSON: text, integer, real or boolean, whichever is set.
    static func value(_ row: Row) -> JSONValue {
        if let s: String = row[3] { return .string(s) }
        if let b: Bool = row[6] { return .bool(b) }
        if let i: Int64 = row[4] { return .int(i) }
        if let d: Double = row[5] { return .double(d) }
        return .null
    }

    /// List values (Chroma 1.x keeps them in `embedding_metadata_array`, one row per element).
    private func addLists(to points: inout [StorePoint], from table: String) throws {
        let ids = points.map(\.id)
        var lists: [String: [String: [JSONValue]]] = [:]
        try file.queue.read { db in
            let sql = """
                SELECT e.embedding_id, l.key, l.string_value, l.int_value, l.float_value, l.bool_value
                FROM \(table) l JOIN embeddings e ON e.id = l.id
                WHERE e.segment_id = ? AND e.embedding_id IN (\(ids.map { _ in "?" }.joined(separator: ",")))
                ORDER BY l.id, l.key, l.rowid
                """
            let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments([segmentID] + ids))
            while let row = try rows.next() {
                let id: String = row[0]
                let key: String = row[1]
                let value: JSONValue
                if let s: String = row[2] {
                    value = .string(s)
                } else if let b: Bool = row[5] {
                    value = .bool(b)
                } else if let i: Int64 = row[3] {
                    value = .int(i)
                } else if let d: Double = row[4] {
                    value = .double(d)
                } else {
                    value = .null
                }
                lists[id, default: [:]][key, default: []].append(value)
            }
        }
        guard !lists.isEmpty else { return }
        for i in points.indices {
            guard let extra = lists[points[i].id], case .success(var payload) = points[i].payload else { continue }
            // A pending entry that replaced the payload, or set the key, wins over the segment's list.
            let change = pending.changes[points[i].id]
            if change?.base != nil { continue }
            for (key, values) in extra where change?.patch[key] == nil { payload[key] = .array(values) }
            points[i].payload = .success(payload)
        }
    }
}
