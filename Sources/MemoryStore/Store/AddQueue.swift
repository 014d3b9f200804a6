import MemoryAPI
import Synchronization

/// Single add calls waiting for the store's writer: the calls that arrive while a write
/// transaction runs are applied together in the next one (group commit).
///
/// A server with many clients adding at once would otherwise pay a transaction, a commit and a
/// full-text flush per call, one after another on the one writer. The calls are still applied
/// in arrival order and answered each with its own result, as if alone; one that fails in
/// SQLite fails alone (see ``MemoryStore/addMany(_:in:)-([AddRequest],_)``).
final class AddQueue: Sendable {
    /// A call and the caller waiting for its answer.
    struct Waiting: Sendable {
        let plan: MemoryStore.AddPlan
        let project: ProjectContext
        let answer: CheckedContinuation<Result<AddResponse, MemoryStoreError>, any Error>
    }

    /// The most calls one transaction applies.
    static let maxBatch = 1000

    private struct State {
        var waiting: [Waiting] = []
        var draining = false
    }

    private let state = Mutex(State())

    /// Queues a call. True when no drain is running: the caller must start one.
    func push(_ call: Waiting) -> Bool {
        state.withLock { s in
            s.waiting.append(call)
            if s.draining { return false }
            s.draining = true
            return true
        }
    }

    /// The next calls to apply, oldest first, at most ``maxBatch``; nil ends the drain when
    /// none wait (the next ``push(_:)`` starts another).
    func next() -> [Waiting]? {
        state.withLock { s in
            if s.waiting.isEmpty {
                s.draining = false
                return nil
            }
            let n = min(s.waiting.count, Self.maxBatch)
            let batch = Array(s.waiting.prefix(n))
            s.waiting.removeFirst(n)
            return batch
        }
    }
}
