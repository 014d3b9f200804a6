import Foundation
import MemoryAPI
import MemoryStore

/// A target that applies a whole chunk of adds in one transaction (the embedded store).
///
/// The engine prepares a chunk (``prepareAdds(_:)``: validation, ids, JSON text, no
/// transaction) while the target applies the previous one, then applies it with
/// ``addMany(_:)-(PreparedAdds)``.
public protocol ChunkApplyingTarget: MemoryTarget {
    /// The work of applying `requests` that needs no transaction.
    func prepareAdds(_ requests: [AddRequest]) -> PreparedAdds

    /// Applies prepared add calls in one transaction; each gets its own result, in order.
    func addMany(_ prepared: PreparedAdds) async -> [Result<AddOutcome, any Error>]
}

extension ImportRun {
    /// Add calls over HTTP: a sliding window of `concurrency` units across chunks.
    mutating func runConcurrently() async throws {
        let driver = UnitDriver(target: target, options: options)
        try await withThrowingTaskGroup(of: Driven.self) { group in
            var running = 0
            while true {
                if Task.isCancelled { interrupted = true }
                // Fill the window.
                while running < options.concurrency && !stopped && !interrupted {
                    if let seq = order.first(where: { open[$0].map { $0.next < $0.items.count } ?? false }),
                        var chunk = open[seq]
                    {
                        let item = chunk.items[chunk.next]
                        chunk.next += 1
                        open[seq] = chunk
                        running += 1
                        counters.inFlight += 1
                        group.addTask { await driver.drive(item) }
                    } else if !readerDone && order.count < 2 {
                        if let chunk = try await readChunk() {
                            if chunk.items.isEmpty { continue }
                            open[chunk.seq] = chunk
                            order.append(chunk.seq)
                        } else {
                            readerDone = true
                        }
                    } else {
                        break
                    }
                }
                if running == 0 { break }
                guard let driven = try await group.next() else { break }
                running -= 1
                try await finish(driven)
            }
        }
        try await checkpointOpenChunks()
    }

    /// The embedded store (whole chunks in one transaction) and batch update/delete.
    ///
    /// The target works on one chunk while this task reads the next (settling it against the
    /// ledger and recording it `in_flight`) and then records the previous chunk's outcome, so
    /// the target is kept busy. Chunks still reach the target one after another, in order, and
    /// none is sent after a chunk that stopped the job.
    mutating func runChunkAtATime() async throws {
        let driver = UnitDriver(target: target, options: options)
        let operation = options.operation
        func start(_ chunk: WorkChunk) -> (seq: Int, count: Int, task: Task<[Driven], Never>) {
            let items = chunk.items
            let prepared = chunk.prepared
            return (
                chunk.seq, items.count,
                Task {
                    switch operation {
                    case .add: return await driver.driveChunk(items, prepared: prepared)
                    case .update, .delete: return await driver.driveBatch(items)
                    }
                }
            )
        }
        var applying: (seq: Int, count: Int, task: Task<[Driven], Never>)?
        while true {
            var next: WorkChunk?
            var readError: (any Error)?
            if Task.isCancelled { interrupted = true }
            if !stopped && !interrupted {
                do {
                    next = try await readChunk()
                } catch {
                    readError = error
                }
                if let chunk = next, chunk.items.isEmpty {
                    continue
                }
            }
            if let chunk = next {
                open[chunk.seq] = chunk
                order.append(chunk.seq)
            }
            var finished: [Driven] = []
            if let current = applying {
                finished = await withTaskCancellationHandler {
                    await current.task.value
                } onCancel: {
                    current.task.cancel()
                }
                open[current.seq]?.next = current.count
                applying = nil
            }
            let stopping = finished.contains { $0.stopJob != nil || $0.interrupted } || Task.isCancelled
            // The next chunk goes to the target before the previous one's outcome is recorded;
            // after a stop or an interruption it stays in_flight for the next run.
            if let chunk = next, !stopped && !interrupted && !stopping {
                counters.inFlight += chunk.items.count
                applying = start(chunk)
            }
            for d in finished { try await finish(d) }
            // A failed read started nothing new: the previous chunk is recorded above.
            if let readError { throw readError }
            if next == nil && applying == nil { break }
            if applying == nil && (stopped || interrupted || stopping) { break }
        }
        try await checkpointOpenChunks()
    }
}
