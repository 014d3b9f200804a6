import Foundation
import GRDB
import MemoryAPI

extension MemoryStore {
    /// One page of the project's events (one per add), newest first, as `GET /v1/events/` lists them.
    ///
    /// - Parameters:
    ///   - page: 1-based.
    ///   - pageSize: 1 to ``maxPageSize``.
    /// - Returns: the total count across pages and the events of the page.
    /// - Throws: ``MemoryStoreError`` `.validation` for a page or size below 1, `.invalidPage` for
    ///   a page past the end (page 1 is never past it).
    public func events(page: Int = 1, pageSize: Int = defaultPageSize, in project: ProjectContext) async throws
        -> (count: Int, events: [MemoryJob])
    {
        guard page >= 1 else { throw MemoryStoreError.invalid("page must be at least 1", path: "page") }
        guard (1...Self.maxPageSize).contains(pageSize) else {
            throw MemoryStoreError.invalid(
                "page_size must be between 1 and \(Self.maxPageSize), got \(pageSize)", path: "page_size")
        }
        let (count, events): (Int, [MemoryJob]) = try await read { db in
            guard let key = try Self.projectKey(db, project, create: false) else { return (0, []) }
            let count =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE project = ?", arguments: [key]) ?? 0
            let (offset, overflow) = (page - 1).multipliedReportingOverflow(by: pageSize)
            if page > 1 && (overflow || offset >= count) { return (count, []) }
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT * FROM events WHERE project = ? ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?",
                arguments: [key, pageSize, offset])
            return (count, rows.map(Self.job))
        }
        if page > 1 && events.isEmpty { throw MemoryStoreError(.invalidPage, "Invalid page.") }
        return (count, events)
    }

    /// An event row as the job it records.
    static func job(_ row: Row) -> MemoryJob {
        let results = (row["results"] as String?).flatMap { try? JSONValue.parse($0).decode([AddEvent].self) }
        return MemoryJob(
            id: row["id"], eventType: row["event_type"], status: MemoryJob.Status(rawValue: row["status"]),
            results: results, createdAt: Date(timeIntervalSince1970: row["created_at"]),
            completedAt: (row["completed_at"] as Double?).map { Date(timeIntervalSince1970: $0) })
    }

    /// Sets a memory's Dream lifecycle fields, as Dream would (`memport serve` takes them on
    /// `PUT /v1/memories/{id}/` so tests and demos can stand in for Dream). A nil argument leaves
    /// that field alone; `replacedBy: .some(nil)` clears it.
    ///
    /// - Throws: ``MemoryStoreError`` `.notFound` for an unknown id, `.validation` for a state
    ///   other than `active`, `superseded` or `merged`.
    public func setLifecycle(
        id: String, state: String?, synthesized: Bool?, replacedBy: String??, in project: ProjectContext
    ) async throws -> Memory {
        let known = [MemoryLifecycle.active, MemoryLifecycle.superseded, MemoryLifecycle.merged]
        if let state, !known.contains(state) {
            throw MemoryStoreError.invalid(
                "lifecycle_state must be one of \(known.joined(separator: ", ")), got \(state)",
                path: "lifecycle_state")
        }
        let lowered = id.lowercased()
        try await write { db in
            guard let key = try Self.projectKey(db, project, create: false),
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM memories WHERE id = ? AND project = ?", arguments: [lowered, key]) != nil
            else { throw MemoryStoreError(.notFound, "Memory not found!") }
            if let state {
                try db.execute(
                    sql: "UPDATE memories SET lifecycle_state = ? WHERE id = ? AND project = ?",
                    arguments: [state, lowered, key])
            }
            if let synthesized {
                try db.execute(
                    sql: "UPDATE memories SET synthesized = ? WHERE id = ? AND project = ?",
                    arguments: [synthesized ? 1 : 0, lowered, key])
            }
            if let replacedBy {
                try db.execute(
                    sql: "UPDATE memories SET replaced_by = ? WHERE id = ? AND project = ?",
                    arguments: [replacedBy, lowered, key])
            }
        }
        return try await get(id: lowered, in: project)
    }
}
