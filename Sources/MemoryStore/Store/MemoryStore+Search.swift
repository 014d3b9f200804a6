import Foundation
import GRDB
import MemoryAPI

extension MemoryStore {
    /// Keyword search under a filter, best first, with scores in 0...1 (see ``MemorySearch``).
    ///
    /// - Throws: ``MemoryStoreError`` `.validation` for `topK` outside 1...1000 or a threshold outside 0...1.
    public func search(_ search: MemorySearch, in project: ProjectContext) async throws -> [Memory] {
        guard search.query.utf8.count <= MemorySearch.maxQueryBytes else {
            throw MemoryStoreError.invalid(
                "query is \(search.query.utf8.count) bytes; the limit is \(MemorySearch.maxQueryBytes)", path: "query")
        }
        guard (1...1000).contains(search.topK) else {
            throw MemoryStoreError.invalid("top_k must be between 1 and 1000, got \(search.topK)", path: "top_k")
        }
        guard (0...1).contains(search.threshold) else {
            throw MemoryStoreError.invalid(
                "threshold must be between 0 and 1, got \(search.threshold)", path: "threshold")
        }
        guard let fts = search.ftsQuery else { return [] }
        let condition = visible(search.filter, showExpired: search.showExpired)
        let scored: [(Memory, Double)] = try await read { db in
            guard let key = try Self.projectKey(db, project, create: false) else { return [] }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(MemoryRow.columns), -bm25(memories_fts) AS relevance
                    FROM memories_fts JOIN memories m ON m.seq = memories_fts.rowid
                    WHERE memories_fts MATCH ? AND m.project = ? AND \(condition.sql)
                    ORDER BY relevance DESC, m.seq LIMIT ?
                    """,
                arguments: StatementArguments(
                    [fts.databaseValue, key.databaseValue] + condition.arguments + [search.topK.databaseValue]))
            return rows.map { (MemoryRow.memory($0), $0["relevance"] as Double? ?? 0) }
        }
        guard let best = scored.first?.1 else { return [] }
        return scored.compactMap { memory, relevance in
            let score = best > 0 ? max(0, min(1, relevance / best)) : 1
            guard score >= search.threshold else { return nil }
            var m = memory
            m.score = (score * 10_000).rounded() / 10_000
            return m
        }
    }
}
