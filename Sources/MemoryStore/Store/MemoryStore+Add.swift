import Foundation
import GRDB
import MemoryAPI

extension MemoryStore {
    /// Adds the messages of an add call, deterministically: no model is called.
    ///
    /// Each message becomes one memory holding its text verbatim; system messages and messages
    /// without text are dropped. Attribution follows the platform guide (seed 000 §4.1): with a
    /// `user_id`, `run_id` or `app_id` the user's messages are stored under those ids and the
    /// assistant's are not; with `agent_id` alone the assistant's are stored; with both, user
    /// messages go to the user side and assistant messages to `agent_id` (with the run and app
    /// ids on both). The same text already stored in the same scope is a `NOOP` that names the
    /// existing memory. `infer` takes the same path.
    ///
    /// The call is recorded as a finished event whose id the answer carries, so an asynchronous
    /// caller can poll ``event(id:in:)``. Calls that arrive while the store is writing share its
    /// next transaction (``AddQueue``), applied in arrival order and answered each on its own.
    ///
    /// - Returns: an envelope with one item per stored or matched message, `status` SUCCEEDED.
    /// - Throws: ``MemoryStoreError`` `.validation` when no entity id is given or a field is malformed.
    public func add(_ request: AddRequest, in project: ProjectContext) async throws -> AddResponse {
        let plan = try AddPlan(request, now: clock())
        let result = try await withCheckedThrowingContinuation { answer in
            if addQueue.push(AddQueue.Waiting(plan: plan, project: project, answer: answer)) {
                drainAddQueue()
            }
        }
        return try result.get()
    }

    /// Applies the next batch of waiting add calls in a transaction on the writer's own queue,
    /// answers them, and queues the next batch behind it, until none wait.
    ///
    /// The loop stays on the writer: a batch starts right after the previous commit instead of
    /// after a hop back to the cooperative pool, which under a server's load is busy parsing and
    /// answering the very calls that wait here. Each batch is its own write, so other writes
    /// queued meanwhile run between two batches.
    func drainAddQueue() {
        pool.asyncWriteWithoutTransaction { db in
            guard let batch = self.addQueue.next() else { return }
            let calls = batch.map { ($0.project, Result<AddPlan, MemoryStoreError>.success($0.plan)) }
            do {
                let results = try Self.applyInOrder(calls, now: batch.map(\.plan.now).max() ?? self.clock(), db: db)
                for (call, result) in zip(batch, results) { call.answer.resume(returning: result) }
            } catch {
                for call in batch { call.answer.resume(throwing: Self.storeError(error)) }
            }
            self.drainAddQueue()
        }
    }

    /// Which messages are stored, with their text and the scope each goes to.
    ///
    /// With `verbatim` (memport's `memport_verbatim` extension, which restore and migrate send)
    /// every user and assistant message is stored with exactly the ids given, `user_id` and
    /// `agent_id` on one record if both are set, as the platform's direct import (`infer=false`)
    /// stores them; without it, the seed's attribution applies to every add.
    static func attribute(_ messages: [Message], scope: Scope, verbatim: Bool = false) -> [(Message, String, Scope)] {
        if verbatim {
            return messages.compactMap { m in
                guard m.role == .user || m.role == .assistant, let text = m.content.text, !text.isEmpty else {
                    return nil
                }
                return (m, text, scope)
            }
        }
        let userSide = scope.userID != nil || scope.runID != nil || scope.appID != nil
        let userScope = Scope(userID: scope.userID, appID: scope.appID, runID: scope.runID)
        let agentScope = Scope(agentID: scope.agentID, appID: scope.appID, runID: scope.runID)
        var out: [(Message, String, Scope)] = []
        for message in messages {
            guard let text = message.content.text, !text.isEmpty else { continue }
            switch message.role {
            case .user where userSide: out.append((message, text, userScope))
            case .assistant where scope.agentID != nil: out.append((message, text, agentScope))
            default: continue
            }
        }
        return out
    }

    /// Creates the entity rows of a scope, or refreshes their `updated_at`.
    static func touchEntities(_ db: Database, project: Int64, scope: Scope, at: Date) throws {
        for t in EntityType.allCases {
            guard let name = scope[t] else { continue }
            try db.cachedStatement(
                sql: """
                    INSERT INTO entities (project, type, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (project, type, name) DO UPDATE SET updated_at = excluded.updated_at
                    """
            ).execute(arguments: [project, t.rawValue, name, at.timeIntervalSince1970, at.timeIntervalSince1970])
        }
    }
}
