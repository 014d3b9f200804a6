import GRDB

/// What a `chroma.sqlite3` holds, probed: the tables and columns memport reads, which optional
/// ones exist, and the migrations Chroma applied (to name the version of a layout it cannot read).
///
/// Read: Chroma 0.4 to 1.x (`collections(id, name)`, `segments(id, scope, collection)`,
/// `embeddings(id, segment_id, embedding_id)`, `embedding_metadata(id, key, string_value,
/// int_value, float_value[, bool_value])`, list values from `embedding_metadata_array` (or
/// `embedding_metadata_lists`) when present, and the log's pending entries (`ChromaPending`)).
struct ChromaLayout {
    /// Whether `embedding_metadata` has `bool_value` (metadb migration 00003 and later).
    var hasBoolValue: Bool
    /// The table of list values (`embedding_metadata_array` in Chroma 1.x), when there is one.
    var listTable: String?
    /// The newest migration of each kind, e.g. `metadb 00004, sysdb 00009`.
    var migrations: String

    static let required: [(table: String, columns: [String])] = [
        ("collections", ["id", "name"]),
        ("segments", ["id", "scope", "collection"]),
        ("embeddings", ["id", "segment_id", "embedding_id"]),
        ("embedding_metadata", ["id", "key", "string_value", "int_value", "float_value"]),
    ]

    /// Checks the layout.
    ///
    /// - Throws: `ReadingError` `.unknownStoreLayout` naming what is missing and the migrations applied.
    static func probe(_ file: SQLiteFile, store: String) throws -> ChromaLayout {
        let migrations = Self.migrations(file)
        let present = Self.required.filter { file.tables.contains($0.table) }
        if present.isEmpty {
            var what = "it is not a Chroma database"
            if file.tables.contains("vectors") {
                what += " (it looks like the TypeScript SDK's store: name it mem0-ts:FILE)"
            }
            throw ReadingError.store(
                .unknownStoreLayout,
                "\(file.path) has none of Chroma's tables (collections, segments, embeddings, embedding_metadata): "
                    + "\(what); tables: \(file.tables.isEmpty ? "none" : file.tables.sorted().joined(separator: ", "))",
                store: store)
        }
        var missing: [String] = []
        for (table, columns) in Self.required {
            guard file.tables.contains(table) else {
                missing.append("table \(table)")
                continue
            }
            let have = try file.columns(table)
            for column in columns where !have.contains(column) { missing.append("\(table).\(column)") }
        }
        if !missing.isEmpty {
            throw ReadingError.store(
                .unknownStoreLayout,
                "this Chroma layout (migrations applied: \(migrations)) lacks \(missing.joined(separator: ", ")); "
                    + "memport reads the layouts of Chroma 0.4 to 1.x; export the collection with Chroma's own client "
                    + "or upgrade Chroma, open the store once and try again", store: store)
        }
        let metadataColumns = try file.columns("embedding_metadata")
        var listTable: String?
        for table in ["embedding_metadata_array", "embedding_metadata_lists"] where file.tables.contains(table) {
            let columns = try file.columns(table)
            if columns.isSuperset(of: ["id", "key", "string_value", "int_value", "float_value", "bool_value"]) {
                listTable = table
                break
            }
        }
        return ChromaLayout(
            hasBoolValue: metadataColumns.contains("bool_value"), listTable: listTable, migrations: migrations)
    }

    /// The ids of the collection and of its metadata segment.
    ///
    /// - Throws: `ReadingError` `.missingCollection` listing the memory collections present, or
    ///   `.unknownStoreLayout` when the collection has no metadata segment.
    func metadataSegment(_ file: SQLiteFile, collection: String, store: String) throws -> (
        collection: String, segment: String
    ) {
        try file.queue.read { db in
            let ids = try String.fetchAll(db, sql: "SELECT id FROM collections WHERE name = ?", arguments: [collection])
            guard let collectionID = ids.first else {
                let names = try String.fetchAll(db, sql: "SELECT name FROM collections ORDER BY name").filter {
                    $0 != StoreSpec.telemetryCollection && !$0.hasSuffix("_entities")
                }
                throw ReadingError.store(
                    .missingCollection,
                    "no collection \(collection); memory collections here: "
                        + (names.isEmpty ? "none" : names.joined(separator: ", ")) + " (name one with --collection)",
                    store: store, collection: collection)
            }
            let segments = try String.fetchAll(
                db, sql: "SELECT id FROM segments WHERE collection = ? AND scope = 'METADATA'",
                arguments: [collectionID])
            guard let segment = segments.first else {
                throw ReadingError.store(
                    .unknownStoreLayout,
                    "the collection has no METADATA segment (migrations applied: \(migrations)); "
                        + "this Chroma layout keeps its records elsewhere, which memport does not read",
                    store: store, collection: collection)
            }
            return (collectionID, segment)
        }
    }

    /// The newest migration per directory, or `none recorded`.
    static func migrations(_ file: SQLiteFile) -> String {
        guard file.tables.contains("migrations"),
            let rows = try? file.queue.read({ db in
                try Row.fetchAll(db, sql: "SELECT dir, MAX(version) AS v FROM migrations GROUP BY dir ORDER BY dir")
            }), !rows.isEmpty
        else { return "none recorded" }
        return rows.map { row -> String in
            let dir: String = row["dir"] ?? "?"
            let version: Int64 = row["v"] ?? 0
            return "\(dir) \(String(format: "%05lld", version))"
        }.joined(separator: ", ")
    }
}
