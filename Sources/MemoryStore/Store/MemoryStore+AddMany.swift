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
        let plans = prepared.plans
        let now = prepared.now
        do {
            return try await write { db in try Self.applyAll(plans, db: db, project: project, now: now, isolate: false)
            }
        } catch {
            // A storage error inside the chunk rolled all of it back: apply it again with a
            // savepoint per call, so only the call that fails is lost.
            return try await write { db in try Self.applyAll(plans, db: db, project: project, now: now, isolate: true) }
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
