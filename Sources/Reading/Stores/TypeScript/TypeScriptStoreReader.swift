import Foundation
import GRDB
import MemoryAPI

/// The TypeScript SDK's SQLite `memory` store (`vector_store.db`):
/// `vectors(id TEXT PRIMARY KEY, vector BLOB, payload TEXT)`, the payload JSON in mem0's shape.
/// The `memory_migrations` table (its telemetry id) is not read; entity rows
/// (`linked_memory_ids` and no `hash`) are skipped.
final class TypeScriptStoreReader: StoreReader {
    let spec: StoreSpec
    private let file: SQLiteFile
    private let batchSize: Int
    private var after: String?
    private var done = false

    var position: StorePosition { StorePosition(after: after, ended: done) }

    init(spec: StoreSpec, batchSize: Int, from position: StorePosition = .start) throws {
        self.spec = spec
        self.batchSize = max(1, batchSize)
        after = position.after
        done = position.ended
        let store = spec.storeDescription
        file = try SQLiteFile(path: try spec.sqliteFile(), store: store)
        guard file.tables.contains("vectors") else {
            let hint =
                file.tables.contains("embeddings") && file.tables.contains("collections")
                ? " (it looks like a Chroma database: name it chroma:FOLDER)" : ""
            throw ReadingError.store(
                .unknownStoreLayout,
                "the file has no vectors table, so it is not the TypeScript SDK's vector_store.db\(hint); "
                    + "tables: \(file.tables.sorted().joined(separator: ", "))", store: store)
        }
        let columns = try file.columns("vectors")
        for needed in ["id", "payload"] where !columns.contains(needed) {
            throw ReadingError.store(
                .unknownStoreLayout, "the vectors table has no \(needed) column; columns: \(columns.sorted())",
                store: store)
        }
    }

    func next() throws -> [StorePoint]? {
        var points: [StorePoint] = []
        while points.isEmpty && !done {
            let rows: [Row]
            do {
                rows = try file.queue.read { db in
                    if let after {
                        return try Row.fetchAll(
                            db, sql: "SELECT id, payload FROM vectors WHERE id > ? ORDER BY id LIMIT ?",
                            arguments: [after, batchSize])
                    }
                    return try Row.fetchAll(
                        db, sql: "SELECT id, payload FROM vectors ORDER BY id LIMIT ?", arguments: [batchSize])
                }
            } catch {
                throw ReadingError.store(
                    .storeQuery, "cannot read the vectors table", store: spec.storeDescription, cause: "\(error)")
            }
            if rows.count < batchSize { done = true }
            for row in rows {
                let id: String = row[0] ?? ""
                after = id
                let text: String? = row[1]
                let point = StorePoint(id: id, payload: Self.parse(text, id: id, spec: spec))
                // An entity (mem0 v3's entity store) links memories and has no hash: not a memory.
                if case .success(let payload) = point.payload, payload["linked_memory_ids"] != nil,
                    payload["hash"] == nil
                {
                    continue
                }
                points.append(point)
            }
        }
        return points.isEmpty ? nil : points
    }

    func close() {}

    static func parse(_ text: String?, id: String, spec: StoreSpec) -> Result<[String: JSONValue], ReadingError> {
        guard let text else {
            return .failure(
                ReadingError.store(.badPayload, "the payload is NULL", store: spec.storeDescription, pointID: id))
        }
        do {
            guard case .object(let object) = try JSONValue.parse(Data(text.utf8)) else {
                return .failure(
                    ReadingError.store(
                        .badPayload, "the payload is not a JSON object", store: spec.storeDescription, pointID: id))
            }
            return .success(object)
        } catch {
            return .failure(
                ReadingError.store(
                    .badPayload, "the payload is not valid JSON", store: spec.storeDescription, pointID: id,
                    cause: "\(error)"))
        }
    }
}
