import Foundation
import GRDB
import MemoryAPI

extension MemoryStore {
    /// One memory by id; expired memories are returned too, as on the platform.
    ///
    /// - Throws: ``MemoryStoreError`` `.notFound` when the project has no such memory.
    public func get(id: String, in project: ProjectContext) async throws -> Memory {
        // No id holds a NUL, and SQLite would compare only the bytes before it.
        if id.utf8.contains(0) { throw MemoryStoreError(.notFound, "Memory not found!") }
        let found: Memory? = try await read { db in
            guard let key = try Self.projectKey(db, project, create: false) else { return nil }
            return try Row.fetchOne(
                db, sql: "SELECT \(MemoryRow.columns) FROM memories m WHERE m.id = ? AND m.project = ?",
                arguments: [id.lowercased(), key]
            ).map(MemoryRow.memory)
        }
        guard let found else { throw MemoryStoreError(.notFound, "Memory not found!") }
        return found
    }

    /// One page of the memories a filter selects, in insertion order (stable while others write:
    /// new memories land after every existing one).
    ///
    /// - Parameters:
    ///   - filter: the v2 filter; nil selects the whole project.
    ///   - showExpired: include memories past their expiration date.
    ///   - page: 1-based.
    ///   - pageSize: 1 to ``maxPageSize``; larger values are clamped.
    /// - Returns: a page whose `count` is the total across pages; `next` and `previous` are nil
    ///   (the server fills them with URLs; an embedded caller pages until `page * pageSize >= count`).
    /// - Throws: ``MemoryStoreError`` `.invalidPage` for a page past the end (page 1 is never past it).
    public func getAll(
        filter: MemoryFilter?, showExpired: Bool = false, page: Int = 1, pageSize: Int = defaultPageSize,
        in project: ProjectContext
    ) async throws -> Page<Memory> {
        guard page >= 1 else { throw MemoryStoreError.invalid("page must be at least 1", path: "page") }
        guard pageSize >= 1 else { throw MemoryStoreError.invalid("page_size must be at least 1", path: "page_size") }
        let size = min(pageSize, Self.maxPageSize)
        let condition = visible(filter, showExpired: showExpired)
        let (count, memories): (Int, [Memory]) = try await read { db in
            guard let key = try Self.projectKey(db, project, create: false) else { return (0, []) }
            let args = [key.databaseValue] + condition.arguments
            let count =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM memories m WHERE m.project = ? AND \(condition.sql)",
                    arguments: StatementArguments(args)) ?? 0
            let (offset, overflow) = (page - 1).multipliedReportingOverflow(by: size)
            if page > 1 && (overflow || offset >= count) { return (count, []) }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(MemoryRow.columns) FROM memories m WHERE m.project = ? AND \(condition.sql)
                    ORDER BY m.seq LIMIT ? OFFSET ?
                    """,
                arguments: StatementArguments(args + [size.databaseValue, offset.databaseValue]))
            return (count, rows.map(MemoryRow.memory))
        }
        if page > 1 && memories.isEmpty { throw MemoryStoreError(.invalidPage, "Invalid page.") }
        return Page(count: count, results: memories, shape: .paginated)
    }

    /// Every memory a filter selects, without paging; for small selections (summaries, exports).
    public func all(filter: MemoryFilter?, showExpired: Bool = false, limit: Int = 10_000, in project: ProjectContext)
        async throws -> [Memory]
    {
        let condition = visible(filter, showExpired: showExpired)
        return try await read { db in
            guard let key = try Self.projectKey(db, project, create: false) else { return [] }
            return try Row.fetchAll(
                db,
                sql: "SELECT \(MemoryRow.columns) FROM memories m WHERE m.project = ? AND \(condition.sql) "
                    + "ORDER BY m.seq LIMIT ?",
                arguments: StatementArguments([key.databaseValue] + condition.arguments + [limit.databaseValue])
            ).map(MemoryRow.memory)
        }
    }

    /// The filter plus, unless `showExpired`, "not past its expiration day" (a malformed date never expires).
    func visible(_ filter: MemoryFilter?, showExpired: Bool) -> FilterSQL {
        let base = FilterSQL(filter)
        if showExpired { return base }
        let now = clock().timeIntervalSince1970
        return FilterSQL(
            sql: "(\(base.sql)) AND (m.expiration_at IS NULL OR m.expiration_at + 86400 > ?)",
            arguments: base.arguments + [now.databaseValue])
    }

    /// The history of a memory, oldest first; kept after the memory is deleted.
    ///
    /// - Throws: ``MemoryStoreError`` `.notFound` when the project never had that memory.
    public func history(id: String, in project: ProjectContext) async throws -> [HistoryEntry] {
        let entries: [HistoryEntry] = try await read { db in
            guard let key = try Self.projectKey(db, project, create: false) else { return [] }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT *, CAST(old_memory AS BLOB) AS old_exact, CAST(new_memory AS BLOB) AS new_exact,
                        CAST(user_id AS BLOB) AS user_exact, CAST(agent_id AS BLOB) AS agent_exact,
                        CAST(app_id AS BLOB) AS app_exact, CAST(run_id AS BLOB) AS run_exact
                    FROM history WHERE project = ? AND memory_id = ? ORDER BY seq
                    """,
                arguments: [key, id.lowercased()]
            ).map { row in
                HistoryEntry(
                    id: row["id"], memoryID: row["memory_id"],
                    input: (row["input"] as String?).flatMap { try? JSONValue.parse($0).decode([Message].self) },
                    oldMemory: MemoryRow.exactText(row["old_exact"]), newMemory: MemoryRow.exactText(row["new_exact"]),
                    event: MemoryEventKind(rawValue: row["event"]),
                    scope: Scope(
                        userID: MemoryRow.exactText(row["user_exact"]),
                        agentID: MemoryRow.exactText(row["agent_exact"]),
                        appID: MemoryRow.exactText(row["app_exact"]), runID: MemoryRow.exactText(row["run_exact"])),
                    categories: MemoryRow.strings(row["categories"]), metadata: MemoryRow.object(row["metadata"]),
                    createdAt: MemoryRow.date(row["created_at"]), updatedAt: MemoryRow.date(row["updated_at"]))
            }
        }
        if entries.isEmpty { throw MemoryStoreError(.notFound, "Memory not found!") }
        return entries
    }

    /// The status of an event (every add records one), with the items it produced.
    ///
    /// - Throws: ``MemoryStoreError`` `.notFound` for an unknown id.
    public func event(id: String, in project: ProjectContext) async throws -> MemoryJob {
        let job: MemoryJob? = try await read { db in
            guard let key = try Self.projectKey(db, project, create: false),
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM events WHERE id = ? AND project = ?", arguments: [id.lowercased(), key])
            else { return nil }
            let results = (row["results"] as String?).flatMap { try? JSONValue.parse($0).decode([AddEvent].self) }
            return MemoryJob(
                id: row["id"], eventType: row["event_type"], status: MemoryJob.Status(rawValue: row["status"]),
                results: results, createdAt: Date(timeIntervalSince1970: row["created_at"]),
                completedAt: (row["completed_at"] as Double?).map { Date(timeIntervalSince1970: $0) })
        }
        guard let job else {
            throw MemoryStoreError(.notFound, "Event not found or you don't have permission to access it.")
        }
        return job
    }

}
