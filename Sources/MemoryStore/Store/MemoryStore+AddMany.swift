import Foundation
import GRDB
import MemoryAPI

extension MemoryStore {
    /// Applies many add calls in one transaction, as the embedded target's import does per chunk.
    ///
    /// Each call gets its own result, in order, exactly as ``add(_:in:)`` would answer it; a call
    /// that fails validation or storage fails alone, the others are kept. The chunk is applied
    /// without savepoints first; a storage error rolls it back and it is applied again with a
    /// savepoint per call.
    public func addMany(_ requests: [AddRequest], in project: ProjectContext) async throws
        -> [Result<AddResponse, MemoryStoreError>]
    {
        try await addMany(prepareAdds(requests), in: project)
    }

    /// Validates and attributes add calls and makes their rows' values (ids, hashes, JSON text)
    /// without touching the database, so a caller can do it while the store writes something else.
    public func prepareAdds(_ requests: [AddRequest]) -> PreparedAdds {
        PreparedAdds(requests, now: clock())
    }

    /// Applies prepared add calls in one transaction; see ``addMany(_:in:)-([AddRequest],_)``.
    public func addMany(_ prepared: PreparedAdds, in project: ProjectContext) async throws
        -> [Result<AddResponse, MemoryStoreError>]
    {
        try await applyInOrder(prepared.plans.map { (project, $0) }, now: prepared.now)
    }

    /// Applies planned calls of any projects in one transaction, in order (each project's calls
    /// together, `now` the time of their entities), each with its own result. The calls are
    /// applied without savepoints first; a storage error rolls them all back and they are
    /// applied again with a savepoint per call, so only the call that fails is lost.
    func applyInOrder(_ calls: [(ProjectContext, Result<AddPlan, MemoryStoreError>)], now: Date) async throws
        -> [Result<AddResponse, MemoryStoreError>]
    {
        try await writeWithoutTransaction { db in try Self.applyInOrder(calls, now: now, db: db) }
    }

    /// ``applyInOrder(_:now:)`` on the writer's connection `db`, outside any transaction: the
    /// transactions (the fast one, then, after a storage error, the one with savepoints) are its own.
    static func applyInOrder(_ calls: [(ProjectContext, Result<AddPlan, MemoryStoreError>)], now: Date, db: Database)
        throws -> [Result<AddResponse, MemoryStoreError>]
    {
        var groups: [(project: ProjectContext, positions: [Int])] = []
        for (i, call) in calls.enumerated() {
            if let g = groups.firstIndex(where: { $0.project == call.0 }) {
                groups[g].positions.append(i)
            } else {
                groups.append((call.0, [i]))
            }
        }
        func run(isolate: Bool) throws -> [Result<AddResponse, MemoryStoreError>] {
            var out = [Result<AddResponse, MemoryStoreError>?](repeating: nil, count: calls.count)
            try db.inTransaction {
                for (project, positions) in groups {
                    let plans = positions.map { calls[$0].1 }
                    let results = try applyAll(plans, db: db, project: project, now: now, isolate: isolate)
                    for (p, r) in zip(positions, results) { out[p] = r }
                }
                return .commit
            }
            return out.map { $0 ?? .failure(MemoryStoreError(.database, "not applied")) }
        }
        do {
            return try run(isolate: false)
        } catch {
            return try run(isolate: true)
        }
    }

    /// Applies planned calls in the caller's transaction. With `isolate`, each call runs in its own
    /// savepoint and a storage error fails that call alone; without, the first error throws (the
    /// fast path: a savepoint per call makes SQLite journal every page the call touches).
    static func applyAll(
        _ plans: [Result<AddPlan, MemoryStoreError>], db: Database, project: ProjectContext, now: Date, isolate: Bool
    ) throws -> [Result<AddResponse, MemoryStoreError>] {
        guard let key = try projectKey(db, project, create: true) else { return [] }
        var batch = try AddBatch(plans: plans.compactMap { try? $0.get() }, db: db, project: key, now: now)
        var results: [Result<AddResponse, MemoryStoreError>] = []
        results.reserveCapacity(plans.count)
        for planned in plans {
            let plan: AddPlan
            switch planned {
            case .failure(let e):
                results.append(.failure(e))
                continue
            case .success(let p): plan = p
            }
            guard isolate else {
                results.append(.success(plan.response(try batch.apply(plan, db: db))))
                continue
            }
            var outcome: Result<AddResponse, MemoryStoreError> = .failure(MemoryStoreError(.database, "not applied"))
            try db.inSavepoint {
                do {
                    outcome = .success(plan.response(try batch.apply(plan, db: db)))
                    return .commit
                } catch let error as DatabaseError {
                    outcome = .failure(MemoryStoreError(.database, "\(error)"))
                    batch.rollBackLast()
                    return .rollback
                }
            }
            results.append(outcome)
        }
        try batch.finish(db)
        return results
    }
}
