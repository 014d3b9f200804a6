import Foundation
import GRDB
import MemoryAPI
import Synchronization

/// The memory semantics of the Mem0 platform on one SQLite file (WAL): the embedded target
/// and the store behind `memport serve`.
///
/// Every call acts in a ``ProjectContext``; a project never sees another's memories. The store
/// calls no model: each message becomes one memory, stored verbatim, attributed by role
/// (see ``add(_:in:)``), and searched by keyword relevance (SQLite FTS5, BM25).
///
/// ```swift
/// let store = try MemoryStore(path: "memport.db")
/// let added = try await store.add(request, in: .default)
/// let page = try await store.getAll(filter: .userID("alex"), page: 1, pageSize: 100, in: .default)
/// ```
public final class MemoryStore: Sendable {
    /// The largest batch update or delete, as on the platform.
    public static let maxBatchItems = 1000
    /// The largest page.
    public static let maxPageSize = 200
    /// The page size when none is given.
    public static let defaultPageSize = 100

    let pool: DatabasePool
    let clock: @Sendable () -> Date
    /// Single add calls waiting for the writer (group commit).
    let addQueue = AddQueue()
    /// Checkpoints the write-ahead log beside the writer.
    let checkpointer: WALCheckpointer

    /// Opens (creating if needed) the store at `path`.
    ///
    /// - Parameters:
    ///   - clock: the time source for `created_at`, `updated_at` and expiry; injected by tests.
    ///   - checkpointPages: pages written to the write-ahead log between background checkpoints.
    public init(path: String, clock: @escaping @Sendable () -> Date = { Date() }, checkpointPages: Int32 = 4096) throws
    {
        SQLiteProcess.configure()
        let checkpointer = WALCheckpointer(
            path: path, backgroundPages: checkpointPages, catchUpPages: max(checkpointPages / 4, 1),
            writerPages: checkpointPages * 16)
        var config = Configuration()
        config.prepareDatabase { db in
            db.add(function: Self.containsFunction)
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // The writer keeps the indexes' hot pages cached across a bulk import's chunks, and
            // leaves checkpoints to a thread of its own (pages rewritten between checkpoints are
            // copied once, and no add waits for one).
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA cache_size = -32768")
                checkpointer.attach(to: db.sqliteConnection)
            }
        }
        config.busyMode = .timeout(10)
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Self.migrator.migrate(pool)
        } catch {
            throw MemoryStoreError(.database, "cannot open the store at \(path): \(error)")
        }
        self.clock = clock
        self.checkpointer = checkpointer
    }

    /// `memport_contains(haystack, needle, ignoreCase)`: substring test with Swift's string
    /// semantics, so SQL filters agree with `MemoryFilter.matches` on any text.
    ///
    /// The SQL passes both texts as blobs (`CAST(… AS BLOB)`): GRDB reads a text value up to its
    /// first NUL, a blob with all its bytes.
    static let containsFunction = DatabaseFunction("memport_contains", argumentCount: 3, pure: true) { values in
        guard let hay = MemoryRow.exactText(values[0]), let needle = MemoryRow.exactText(values[1]) else {
            return false
        }
        let ignoreCase = (Int64.fromDatabaseValue(values[2]) ?? 0) != 0
        return ignoreCase ? hay.lowercased().contains(needle.lowercased()) : hay.contains(needle)
    }

    /// Runs a write, turning database failures into ``MemoryStoreError``.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw Self.storeError(error)
        }
    }

    /// Runs `body` on the writer's connection outside any transaction (it opens its own),
    /// turning database failures into ``MemoryStoreError``.
    func writeWithoutTransaction<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.writeWithoutTransaction(body)
        } catch {
            throw Self.storeError(error)
        }
    }

    /// `error` as the store reports it: a ``MemoryStoreError`` as is, anything else as `.database`.
    static func storeError(_ error: any Error) -> MemoryStoreError {
        error as? MemoryStoreError ?? MemoryStoreError(.database, "the store failed: \(error)")
    }

    /// Runs a read, turning database failures into ``MemoryStoreError``.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw Self.storeError(error)
        }
    }

    /// The numeric id of a project, created on first use.
    static func projectKey(_ db: Database, _ p: ProjectContext, create: Bool) throws -> Int64? {
        if let id = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM projects WHERE org_id = ? AND project_id = ?"),
            arguments: [p.orgID, p.projectID])
        {
            return id
        }
        guard create else { return nil }
        try db.execute(
            sql: "INSERT INTO projects (org_id, project_id) VALUES (?, ?)", arguments: [p.orgID, p.projectID])
        return db.lastInsertedRowID
    }

    /// A new lowercase, time-ordered UUID (version 7 layout: 48 bits of Unix milliseconds, then
    /// 74 bits that are a per-process random start plus a counter).
    ///
    /// Ids made one after another sort after each other, so the unique indexes over memory,
    /// history and event ids grow at their end instead of at random pages: a bulk import writes
    /// a few pages per chunk, not one per row. The counter keeps ids of one process distinct
    /// without a system call per id; the random start keeps processes apart.
    static func newID() -> String {
        let millis = UInt64(max(0, Date().timeIntervalSince1970 * 1000)) & 0xFFFF_FFFF_FFFF
        let n = idCounter.add(1, ordering: .relaxed).oldValue
        let high = (millis << 16) | 0x7000 | (idProcessBits & 0x0FFF)
        let low = (n & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return String(unsafeUninitializedCapacity: 36) { buffer in
            let digits: StaticString = "0123456789abcdef"
            var i = 0
            func put(_ v: UInt64, _ count: Int) {
                for k in stride(from: count - 1, through: 0, by: -1) {
                    if i == 8 || i == 13 || i == 18 || i == 23 {
                        buffer[i] = UInt8(ascii: "-")
                        i += 1
                    }
                    buffer[i] = digits.utf8Start[Int((v >> UInt64(k * 4)) & 0xF)]
                    i += 1
                }
            }
            put(high, 16)
            put(low, 16)
            return i
        }
    }

    private static let idProcessBits = UInt64.random(in: 0...UInt64.max)
    private static let idCounter = Atomic<UInt64>(UInt64.random(in: 0...UInt64.max) >> 2)

    /// `true` for a UUID in any case.
    public static func isUUID(_ s: String) -> Bool { UUID(uuidString: s) != nil }
}
