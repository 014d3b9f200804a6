import Foundation
import Reading

/// What the reader hands the engine at once: the events of at most one chunk's worth of units.
public struct UnitBatch: Sendable {
    /// Units, rejects, skips and detections, in input order.
    public var events: [ImportEvent]
    /// Records read so far (all batches together).
    public var records: Int
    /// Uncompressed bytes read so far.
    public var bytesRead: Int64
    /// Bytes of the input as stored (compressed for gzip) consumed so far, for progress.
    public var sourceBytesRead: Int64

    /// Creates a batch.
    public init(events: [ImportEvent], records: Int, bytesRead: Int64, sourceBytesRead: Int64 = 0) {
        self.events = events
        self.records = records
        self.bytesRead = bytesRead
        self.sourceBytesRead = sourceBytesRead
    }
}

/// A bounded hand-off of batches from one producer (a reader thread, or an async producer
/// such as a migration's pager) to the engine: the producer waits while `capacity` batches are
/// unread, so a slow target slows the reader instead of filling memory.
///
/// `@unchecked Sendable`: every mutable field is read and written under `condition`'s lock,
/// and continuations are resumed after the lock is released.
public final class UnitBatches: @unchecked Sendable {
    private let condition = NSCondition()
    private var buffer: [UnitBatch] = []
    private let capacity: Int
    private var ended = false
    private var cancelled = false
    private var failure: (any Error)?
    private var consumer: CheckedContinuation<UnitBatch?, Never>?
    private var producers: [CheckedContinuation<Void, Never>] = []
    private var closeWaiters: [CheckedContinuation<Void, Never>] = []

    /// Creates a channel that holds at most `capacity` unread batches.
    public init(capacity: Int = 2) { self.capacity = max(capacity, 1) }

    /// The error the producer ended with, if any.
    public var producerError: (any Error)? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }

    // MARK: - Producer side

    /// Hands a batch over from a thread, blocking while the buffer is full.
    ///
    /// - Returns: `false` once the consumer cancelled: stop producing.
    public func put(_ batch: UnitBatch) -> Bool {
        condition.lock()
        while buffer.count >= capacity && !cancelled { condition.wait() }
        return deliver(batch)
    }

    /// Hands a batch over from a task, suspending while the buffer is full.
    ///
    /// - Returns: `false` once the consumer cancelled: stop producing.
    public func send(_ batch: UnitBatch) async -> Bool {
        while true {
            if let handed = offer(batch) { return handed }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in park(c) }
        }
    }

    /// Hands the batch over when there is room; nil when the buffer is full.
    private func offer(_ batch: UnitBatch) -> Bool? {
        condition.lock()
        if cancelled || buffer.count < capacity { return deliver(batch) }
        condition.unlock()
        return nil
    }

    /// Waits for room, or resumes at once when there is some already.
    private func park(_ c: CheckedContinuation<Void, Never>) {
        condition.lock()
        if cancelled || buffer.count < capacity {
            condition.unlock()
            c.resume()
        } else {
            producers.append(c)
            condition.unlock()
        }
    }

    /// Called with the lock held; releases it.
    private func deliver(_ batch: UnitBatch) -> Bool {
        if cancelled {
            condition.unlock()
            return false
        }
        if let waiting = consumer {
            consumer = nil
            condition.unlock()
            waiting.resume(returning: batch)
            return true
        }
        buffer.append(batch)
        condition.unlock()
        return true
    }

    /// Ends the stream, with the producer's error when it failed.
    public func finish(throwing error: (any Error)? = nil) {
        condition.lock()
        ended = true
        if failure == nil { failure = error }
        // A waiting consumer means the buffer is empty.
        let waiting = consumer
        consumer = nil
        let closers = closeWaiters
        closeWaiters = []
        condition.unlock()
        waiting?.resume(returning: nil)
        for c in closers { c.resume() }
    }

    // MARK: - Consumer side

    /// The next batch, or nil at the end (or once cancelled). Cancelling the calling task
    /// cancels the channel.
    public func receive() async -> UnitBatch? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<UnitBatch?, Never>) in
                condition.lock()
                if !buffer.isEmpty {
                    let batch = buffer.removeFirst()
                    let waking = producers
                    producers = []
                    condition.broadcast()
                    condition.unlock()
                    for p in waking { p.resume() }
                    c.resume(returning: batch)
                } else if ended || cancelled {
                    condition.unlock()
                    c.resume(returning: nil)
                } else {
                    consumer = c
                    condition.unlock()
                }
            }
        } onCancel: {
            cancel()
        }
    }

    /// Stops the stream: the producer's next hand-over returns `false`, a waiting consumer gets nil.
    public func cancel() {
        condition.lock()
        cancelled = true
        let waiting = consumer
        consumer = nil
        let waking = producers
        producers = []
        let closers = closeWaiters
        closeWaiters = []
        condition.broadcast()
        condition.unlock()
        waiting?.resume(returning: nil)
        for p in waking { p.resume() }
        for c in closers { c.resume() }
    }

    /// Returns once the producer finished or the channel was cancelled.
    public func closed() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            condition.lock()
            if ended || cancelled {
                condition.unlock()
                c.resume()
            } else {
                closeWaiters.append(c)
                condition.unlock()
            }
        }
    }
}
