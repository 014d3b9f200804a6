import Foundation
import GRDB
import MemoryAPI

extension MemoryStore {
    /// Applies many add calls in one transaction, as the embedded target's import does per chunk.
    ///
    /// Each call gets its own result, in order, exactly as ``add(_:in:)`` would answer it; a call
    /// that fails validation or storage fails alone (a savepoint per call), the others are kept.
    public func addMany(_ requests: [AddRequest], in project: ProjectContext) async throws
        -> [Result<AddResponse, MemoryStoreError>]
    {
        let plans: [Result<AddPlan, MemoryStoreError>] = requests.map { request in
            do {
                return .success(try plan(request))
            } catch let error as MemoryStoreError {
                return .failure(error)
            } catch {
                return .failure(MemoryStoreError(.validation, "\(error)"))
            }
        }
        let now = clock()
        return try await write { db in
            guard let key = try Self.projectKey(db, project, create: true) else { return [] }
            return try plans.map { planned -> Result<AddResponse, MemoryStoreError> in
                guard case .success(let plan) = planned else {
                    if case .failure(let e) = planned { return .failure(e) }
                    return .failure(MemoryStoreError(.database, "unreachable"))
                }
                var outcome: Result<AddResponse, MemoryStoreError> = .failure(
                    MemoryStoreError(.database, "not applied"))
                try db.inSavepoint {
                    do {
                        outcome = .success(plan.response(try Self.apply(plan, db: db, project: key, now: now)))
                        return .commit
                    } catch let error as DatabaseError {
                        outcome = .failure(MemoryStoreError(.database, "\(error)"))
                        return .rollback
                    }
                }
                return outcome
            }
        }
    }
}
