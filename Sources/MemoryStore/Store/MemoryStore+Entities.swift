import Foundation
import GRDB
import MemoryAPI

extension MemoryStore {
    /// Every entity (user, agent, app, run) of the project that still has memories, with its
    /// memory count, on one page.
    public func entities(in project: ProjectContext) async throws -> EntityList {
        let list: [Entity] = try await read { db in
            guard let key = try Self.projectKey(db, project, create: false) else { return [] }
            var out: [Entity] = []
            for t in EntityType.allCases {
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT e.id, CAST(e.name AS BLOB) AS name, e.created_at, e.updated_at,
                            (SELECT COUNT(*) FROM memories m WHERE m.project = e.project AND m.\(t.idField) = e.name) AS n
                        FROM entities e WHERE e.project = ? AND e.type = ? ORDER BY e.id
                        """,
                    arguments: [key, t.rawValue])
                for row in rows {
                    let n: Int = row["n"]
                    if n == 0 { continue }
                    out.append(
                        Entity(
                            id: String(row["id"] as Int64), name: MemoryRow.exactText(row["name"]) ?? "", type: t,
                            totalMemories: n, createdAt: MemoryRow.date(row["created_at"]),
                            updatedAt: MemoryRow.date(row["updated_at"]), owner: project.orgID))
                }
            }
            return out
        }
        return EntityList(entities: list)
    }

    /// Deletes an entity and every memory under it, by its name (`/v2/entities/{type}/{name}/`).
    ///
    /// - Returns: how many memories were deleted.
    /// - Throws: ``MemoryStoreError`` `.notFound` when the project has no such entity.
    @discardableResult
    public func deleteEntity(type: EntityType, name: String, in project: ProjectContext) async throws -> Int {
        let now = clock()
        return try await write { db in
            let exact = MemoryRow.bind(name)
            guard let key = try Self.projectKey(db, project, create: false),
                try Int64.fetchOne(
                    db, sql: "SELECT id FROM entities WHERE project = ? AND type = ? AND name = \(exact.mark)",
                    arguments: [key.databaseValue, type.rawValue.databaseValue, exact.value]) != nil
            else { throw MemoryStoreError(.notFound, "Entity not found: \(type.rawValue) \(name)") }
            return try Self.removeEntity(db, project: key, type: type, name: name, at: now)
        }
    }

    /// Deletes an entity and its memories by the numeric id the entity list shows
    /// (`/v1/entities/{type}/{id}/`, SDK 0.1.60 to 0.1.97).
    @discardableResult
    public func deleteEntity(type: EntityType, numericID: Int64, in project: ProjectContext) async throws -> Int {
        let now = clock()
        return try await write { db in
            guard let key = try Self.projectKey(db, project, create: false),
                let name = try DatabaseValue.fetchOne(
                    db, sql: "SELECT CAST(name AS BLOB) FROM entities WHERE project = ? AND type = ? AND id = ?",
                    arguments: [key, type.rawValue, numericID]
                ).flatMap(MemoryRow.exactText)
            else { throw MemoryStoreError(.notFound, "Entity not found: \(type.rawValue) \(numericID)") }
            return try Self.removeEntity(db, project: key, type: type, name: name, at: now)
        }
    }

    static func removeEntity(_ db: Database, project: Int64, type: EntityType, name: String, at: Date) throws -> Int {
        let column = "m.\(type.idField)"
        let exact = MemoryRow.bind(name)
        try MemoryRow.recordDeletes(
            db, project: project, whereSQL: "\(column) = \(exact.mark)", arguments: [exact.value], at: at)
        try db.execute(
            sql: "DELETE FROM memories AS m WHERE m.project = ? AND \(column) = \(exact.mark)",
            arguments: [project.databaseValue, exact.value])
        let n = db.changesCount
        try db.execute(
            sql: "DELETE FROM entities WHERE project = ? AND type = ? AND name = \(exact.mark)",
            arguments: [project.databaseValue, type.rawValue.databaseValue, exact.value])
        return n
    }
}
