import Foundation

/// A self-hosted Mem0 store named as a source: `chroma:PATH`, `mem0-ts:PATH`, or a
/// `postgres://` / `postgresql://` URL.
///
/// Its `description` (and `identity`, which import keys hash) is canonical and never carries a
/// password: an absolute path or a resolved host, port, database and user, plus the collection.
///
/// ```swift
/// let spec = try StoreSpec.parse("chroma:./db", collection: nil)   // chroma:/abs/db?collection=mem0
/// ```
public struct StoreSpec: Sendable, Hashable, CustomStringConvertible {
    /// Which store.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Chroma's persistent client folder (`chroma.sqlite3`).
        case chroma
        /// A PostgreSQL table with pgvector (mem0's `pgvector` provider, the self-hosted server).
        case postgres
        /// The TypeScript SDK's SQLite `memory` store (`vector_store.db`).
        case typescript = "mem0-ts"
    }

    /// The store kind.
    public var kind: Kind
    /// The path as named, absolute (Chroma's folder or its `chroma.sqlite3`, the TypeScript
    /// `vector_store.db` or its folder); nil for PostgreSQL.
    public var path: String?
    /// The PostgreSQL connection, resolved from the URL and the `PG*` environment.
    public var postgres: PostgresLocation?
    /// The Chroma collection or PostgreSQL table (`mem0` unless named).
    public var collection: String

    /// Creates a spec from its parts (`parse` makes one from an argument).
    public init(kind: Kind, path: String?, postgres: PostgresLocation?, collection: String) {
        self.kind = kind
        self.path = path
        self.postgres = postgres
        self.collection = collection
    }

    /// The collection mem0 uses unless configured otherwise.
    public static let defaultCollection = "mem0"
    /// The collection `Memory.__init__` creates for its telemetry id: never memories.
    public static let telemetryCollection = "mem0migrations"

    /// Whether a source argument names a store rather than a file.
    public static func isStore(_ argument: String) -> Bool {
        argument.hasPrefix("chroma:") || argument.hasPrefix("mem0-ts:") || argument.hasPrefix("postgres://")
            || argument.hasPrefix("postgresql://")
    }

    /// Parses a store argument; nil when the argument names no store.
    ///
    /// - Parameters:
    ///   - argument: `chroma:PATH[?collection=NAME]`, `mem0-ts:PATH`, or a PostgreSQL URL with
    ///     an optional `table=` (or `collection=`) parameter.
    ///   - collection: the `--collection` flag, used when the argument names none.
    ///   - environment: the process environment (`PG*` variables, `HOME`).
    /// - Throws: `ReadingError` `.usage` for a malformed spec or a telemetry/entity collection,
    ///   nothing else: the file is found when the store is opened (``sqliteFile()``).
    public static func parse(
        _ argument: String, collection: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> StoreSpec? {
        if argument.hasPrefix("postgres://") || argument.hasPrefix("postgresql://") {
            var location = try PostgresLocation.parse(argument, environment: environment)
            let table = location.table ?? collection ?? defaultCollection
            location.table = nil
            try checkCollection(table, store: location.description)
            try checkIdentifier(table, store: location.description)
            return StoreSpec(kind: .postgres, path: nil, postgres: location, collection: table)
        }
        let kind: Kind
        var rest: Substring
        if argument.hasPrefix("chroma:") {
            kind = .chroma
            rest = argument.dropFirst("chroma:".count)
        } else if argument.hasPrefix("mem0-ts:") {
            kind = .typescript
            rest = argument.dropFirst("mem0-ts:".count)
        } else {
            return nil
        }
        var named: String?
        if let q = rest.lastIndex(of: "?"), rest[q...].hasPrefix("?collection=") {
            named = String(rest[rest.index(q, offsetBy: "?collection=".count)...]).removingPercentEncoding
            rest = rest[..<q]
        }
        guard !rest.isEmpty else {
            throw ReadingError.store(
                .usage, "\(kind.rawValue): needs a path, e.g. \(kind.rawValue):./\(kind.defaultFile)")
        }
        let path = URL(fileURLWithPath: String(rest)).standardizedFileURL.path
        let name = kind == .typescript ? defaultCollection : (named ?? collection ?? defaultCollection)
        let spec = StoreSpec(kind: kind, path: path, postgres: nil, collection: name)
        if kind == .chroma { try checkCollection(name, store: spec.storeDescription) }
        return spec
    }

    /// The store without the collection, for messages.
    public var storeDescription: String {
        switch kind {
        case .postgres: return postgres?.description ?? "postgresql://"
        case .chroma, .typescript: return "\(kind.rawValue):\(Self.folder(of: path ?? "", kind: kind))"
        }
    }

    /// The canonical, password-free spec: the source's name in logs, ledgers and summaries.
    public var description: String {
        switch kind {
        case .chroma: return storeDescription + "?collection=" + collection
        case .typescript: return storeDescription
        case .postgres:
            let base = storeDescription
            return base + (base.contains("?") ? "&" : "?") + "table=" + collection
        }
    }

    /// The identity import keys hash: store, place and collection (a point's id completes it).
    public var identity: String { description }

    /// The store name the official migration's import key uses (`python:<store>:<collection>:<id>`).
    public var officialStoreName: String {
        switch kind {
        case .chroma: return "chroma"
        case .postgres: return "pgvector"
        case .typescript: return "memory"
        }
    }

    /// Refuses mem0's own non-memory collections.
    static func checkCollection(_ name: String, store: String) throws {
        if name.isEmpty { throw ReadingError.store(.usage, "the collection name is empty", store: store) }
        if name == telemetryCollection {
            throw ReadingError.store(
                .usage, "\(name) is mem0's telemetry collection (it holds only an anonymous id), not memories",
                store: store)
        }
        if name.hasSuffix("_entities") || name.hasSuffix("-entities") {
            throw ReadingError.store(
                .usage,
                "\(name) is mem0's entity store (entities linked to memories), not memories; "
                    + "name the memory collection (\(name.dropLast("_entities".count)))", store: store)
        }
    }

    /// A PostgreSQL table name: letters, digits, `_`, `$`, optionally schema-qualified.
    static func checkIdentifier(_ name: String, store: String) throws {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        let ok =
            parts.count <= 2
            && parts.allSatisfy { part in
                !part.isEmpty && part.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }
                    && !(part.first?.isNumber ?? true)
            }
        if !ok {
            throw ReadingError.store(
                .usage, "'\(name)' is not a table name memport reads (letters, digits and _, optionally schema.table)",
                store: store)
        }
    }

    /// The SQLite file of a file store: the path itself, or the store's file inside a folder.
    ///
    /// - Throws: `ReadingError` `.inputNotFound` when neither exists (naming Chroma's pre-0.4
    ///   DuckDB layout when the folder holds it).
    public func sqliteFile() throws -> String {
        try Self.resolveFile(path ?? "", kind: kind)
    }

    static func resolveFile(_ path: String, kind: Kind) throws -> String {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ReadingError.store(
                .inputNotFound, "no such file or folder: \(path)", store: "\(kind.rawValue):\(path)")
        }
        guard isDirectory.boolValue else { return url.path }
        let file = url.appendingPathComponent(kind.defaultFile).path
        guard FileManager.default.fileExists(atPath: file) else {
            var hint = ""
            if kind == .chroma {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
                if names.contains(where: { $0.hasSuffix(".parquet") || $0 == "chroma.duckdb" }) {
                    hint =
                        "; the folder holds DuckDB/Parquet files: that is the layout of Chroma before 0.4, which "
                        + "memport does not read (upgrade it with Chroma's chroma-migrate tool first)"
                }
            }
            throw ReadingError.store(
                .inputNotFound, "\(path) holds no \(kind.defaultFile)\(hint)", store: "\(kind.rawValue):\(path)")
        }
        return file
    }

    /// The folder a file store names: the path without its store file's name (`chroma.sqlite3`,
    /// `vector_store.db`), so naming the folder or the file is the same store (and the same keys).
    static func folder(of file: String, kind: Kind) -> String {
        guard kind != .postgres, (file as NSString).lastPathComponent == kind.defaultFile else { return file }
        return (file as NSString).deletingLastPathComponent
    }
}

extension StoreSpec.Kind {
    /// The SQLite file inside a store folder.
    var defaultFile: String {
        switch self {
        case .chroma: return "chroma.sqlite3"
        case .typescript: return "vector_store.db"
        case .postgres: return ""
        }
    }
}
