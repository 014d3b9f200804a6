import Foundation
import GRDB
import MemoryAPI

extension MemoryStore {
    /// Updates a memory's text, metadata (replaced, not merged), timestamp or expiration date,
    /// recording an UPDATE history entry with the old and new text.
    ///
    /// - Throws: ``MemoryStoreError`` `.notFound`; `.immutable` for an immutable memory;
    ///   `.validation` for an empty update or a malformed date.
    public func update(id: String, _ change: UpdateRequest, in project: ProjectContext) async throws -> Memory {
        if change.isEmpty {
            throw MemoryStoreError.invalid("Nothing to update: give text, metadata, timestamp or expiration_date")
        }
        let prepared = try Self.prepare(change)
        let now = clock()
        let lowered = id.lowercased()
        if lowered.utf8.contains(0) { throw MemoryStoreError(.notFound, "Memory not found!") }
        try await write { db in
            guard let key = try Self.projectKey(db, project, create: false) else {
                throw MemoryStoreError(.notFound, "Memory not found!")
            }
            try Self.apply(db, project: key, id: lowered, prepared, at: now)
        }
        return try await get(id: lowered, in: project)
    }

    /// An update with its values checked and converted to columns.
    struct PreparedUpdate: Sendable {
        var text: String?
        var metadata: String??
        var createdAt: Double?
        var expiration: (text: String?, at: Double?)?
    }

    static func prepare(_ change: UpdateRequest) throws -> PreparedUpdate {
        var p = PreparedUpdate()
        if let text = change.text {
            if text.isEmpty { throw MemoryStoreError.invalid("text must not be empty", path: "text") }
            p.text = text
        }
        if let metadata = change.metadata { p.metadata = .some(MemoryRow.json(metadata)) }
        if let ts = change.timestamp, !ts.isNull {
            if let number = ts.doubleValue {
                guard let seconds = MemoryTimestamp.epochSeconds(number) else {
                    throw MemoryStoreError.invalid(
                        "timestamp \(MemoryTimestamp.epochRule), got \(MemoryAPIError.truncate(ts.jsonString(), limit: 40))",
                        path: "timestamp")
                }
                p.createdAt = seconds
            } else if let s = ts.stringValue, let d = MemoryTimestamp.parse(s) {
                guard MemoryTimestamp.isStorable(d.timeIntervalSince1970) else {
                    throw MemoryStoreError.invalid(
                        "timestamp must be within the years 0001 to 9999, got \(MemoryAPIError.truncate(s, limit: 40))",
                        path: "timestamp")
                }
                p.createdAt = d.timeIntervalSince1970
            } else {
                throw MemoryStoreError.invalid(
                    "timestamp must be Unix seconds or an ISO 8601 string, got \(ts.typeDescription)",
                    path: "timestamp")
            }
        }
        switch change.expirationDate {
        case .none: break
        case .clear: p.expiration = (nil, nil)
        case .set(let raw):
            guard let d = MemoryTimestamp.parse(raw), MemoryTimestamp.isStorable(d.timeIntervalSince1970) else {
                throw MemoryStoreError.invalid(
                    "expiration_date must be a date YYYY-MM-DD in the years 0001 to 9999, got "
                        + MemoryAPIError.truncate(raw, limit: 40),
                    path: "expiration_date")
            }
            let day = MemoryTimestamp.formatDay(d)
            p.expiration = (day, MemoryTimestamp.parse(day)?.timeIntervalSince1970)
        }
        return p
    }

    static func apply(_ db: Database, project: Int64, id: String, _ p: PreparedUpdate, at now: Date) throws {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT \(MemoryRow.columns) FROM memories m WHERE m.id = ? AND m.project = ?",
                arguments: [id, project])
        else { throw MemoryStoreError(.notFound, "Memory not found!") }
        let old = MemoryRow.memory(row)
        if old.immutable == true {
            throw MemoryStoreError(
                .immutable,
                "Memory \(id) is immutable and cannot be updated; delete it and add a new one instead.")
        }
        let newText = p.text ?? old.memory
        let newMetadata: String? = p.metadata ?? MemoryRow.json(old.metadata)
        let exp =
            p.expiration ?? (
                old.expirationDate, old.expirationDate.flatMap(MemoryTimestamp.parse)?.timeIntervalSince1970
            )
        let text = MemoryRow.bind(newText)
        try db.execute(
            sql: """
                UPDATE memories SET memory = \(text.mark), hash = ?, metadata = ?, expiration_date = ?,
                    expiration_at = ?, created_at = ?, updated_at = ? WHERE id = ? AND project = ?
                """,
            arguments: [
                text.value, MemoryRow.hash(newText), newMetadata, exp.text, exp.at,
                p.createdAt ?? old.createdAt?.timeIntervalSince1970 ?? now.timeIntervalSince1970,
                now.timeIntervalSince1970, id, project,
            ])
        try MemoryRow.recordHistory(
            db, project: project, memoryID: id, event: .update, old: old.memory, new: newText, input: nil,
            scope: old.scope, metadata: newMetadata, categories: MemoryRow.json(old.categories), at: now)
    }

    /// Deletes one memory, recording a DELETE history entry.
    ///
    /// - Throws: ``MemoryStoreError`` `.notFound`.
    public func delete(id: String, in project: ProjectContext) async throws {
        let lowered = id.lowercased()
        if lowered.utf8.contains(0) { throw MemoryStoreError(.notFound, "Memory not found!") }
        let now = clock()
        try await write { db in
            guard let key = try Self.projectKey(db, project, create: false) else {
                throw MemoryStoreError(.notFound, "Memory not found!")
            }
            try MemoryRow.recordDeletes(
                db, project: key, whereSQL: "m.id = ?", arguments: [lowered.databaseValue], at: now)
            try db.execute(sql: "DELETE FROM memories WHERE id = ? AND project = ?", arguments: [lowered, key])
            if db.changesCount == 0 { throw MemoryStoreError(.notFound, "Memory not found!") }
        }
    }

    /// Deletes every memory a filter selects (expired ones too).
    ///
    /// - Returns: how many were deleted.
    @discardableResult
    public func deleteAll(filter: MemoryFilter?, in project: ProjectContext) async throws -> Int {
        let condition = FilterSQL(filter)
        let now = clock()
        return try await write { db in
            guard let key = try Self.projectKey(db, project, create: false) else { return 0 }
            try MemoryRow.recordDeletes(
                db, project: key, whereSQL: condition.sql, arguments: condition.arguments, at: now)
            try db.execute(
                sql: "DELETE FROM memories AS m WHERE m.project = ? AND \(condition.sql)",
                arguments: StatementArguments([key.databaseValue] + condition.arguments))
            return db.changesCount
        }
    }

    /// Updates up to ``maxBatchItems`` memories in one transaction: all or none.
    ///
    /// - Throws: ``MemoryStoreError`` `.validation` for too many items or a bad item (its path
    ///   names it, e.g. `memories[3]`), `.notFound` or `.immutable` for an item that cannot change.
    @discardableResult
    public func batchUpdate(_ items: [BatchUpdateItem], in project: ProjectContext) async throws -> Int {
        try Self.checkBatch(items.count, verb: "updated")
        var prepared: [(String, PreparedUpdate)] = []
        for (i, item) in items.enumerated() {
            guard Self.isUUID(item.memoryID) else {
                throw MemoryStoreError.invalid(
                    "memories[\(i)].memory_id should be a valid UUID", path: "memories[\(i)].memory_id")
            }
            let change = UpdateRequest(text: item.text, metadata: item.metadata)
            if change.isEmpty {
                throw MemoryStoreError.invalid("memories[\(i)] has neither text nor metadata", path: "memories[\(i)]")
            }
            prepared.append((item.memoryID.lowercased(), try Self.prepare(change)))
        }
        let now = clock()
        let work = prepared
        try await write { db in
            guard let key = try Self.projectKey(db, project, create: false) else {
                throw MemoryStoreError(.notFound, "Memory not found!")
            }
            for (i, (id, p)) in work.enumerated() {
                do {
                    try Self.apply(db, project: key, id: id, p, at: now)
                } catch var e as MemoryStoreError {
                    e.detail = "memories[\(i)]: \(e.detail)"
                    e.path = "memories[\(i)]"
                    throw e
                }
            }
        }
        return items.count
    }

    /// Deletes up to ``maxBatchItems`` memories in one transaction: all or none.
    ///
    /// - Throws: ``MemoryStoreError`` `.validation` for too many items or a malformed id,
    ///   `.notFound` naming the first unknown id.
    @discardableResult
    public func batchDelete(_ ids: [String], in project: ProjectContext) async throws -> Int {
        try Self.checkBatch(ids.count, verb: "deleted")
        for (i, id) in ids.enumerated() where !Self.isUUID(id) {
            throw MemoryStoreError.invalid(
                "memories[\(i)].memory_id should be a valid UUID", path: "memories[\(i)].memory_id")
        }
        let lowered = ids.map { $0.lowercased() }
        let now = clock()
        try await write { db in
            guard let key = try Self.projectKey(db, project, create: false) else {
                throw MemoryStoreError(.notFound, "Memory not found!")
            }
            for (i, id) in lowered.enumerated() {
                try MemoryRow.recordDeletes(
                    db, project: key, whereSQL: "m.id = ?", arguments: [id.databaseValue], at: now)
                try db.execute(sql: "DELETE FROM memories WHERE id = ? AND project = ?", arguments: [id, key])
                if db.changesCount == 0 {
                    throw MemoryStoreError(
                        .notFound, "memories[\(i)]: Memory not found! (\(id))", path: "memories[\(i)].memory_id")
                }
            }
        }
        return ids.count
    }

    static func checkBatch(_ count: Int, verb: String) throws {
        if count > maxBatchItems {
            throw MemoryStoreError.invalid(
                "Maximum of \(maxBatchItems) memories can be \(verb) in a single request", path: "memories")
        }
        if count == 0 { throw MemoryStoreError.invalid("memories must list at least one item", path: "memories") }
    }

    /// Deletes everything of a project: memories, history, entities and events.
    public func reset(in project: ProjectContext) async throws {
        try await write { db in
            guard let key = try Self.projectKey(db, project, create: false) else { return }
            for table in ["memories", "history", "entities", "events"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE project = ?", arguments: [key])
            }
        }
    }
}

extension MemoryStore {
    /// Sets a memory's categories (the platform's classifier does this; tests use it to
    /// exercise category filters).
    func setCategories(_ categories: [String]?, id: String, in project: ProjectContext) async throws {
        try await write { db in
            guard let key = try Self.projectKey(db, project, create: false) else { return }
            try db.execute(
                sql: "UPDATE memories SET categories = ? WHERE id = ? AND project = ?",
                arguments: [MemoryRow.json(categories), id, key])
        }
    }
}
