import Foundation
import Reading

/// Where an import run's units come from. The engine runs the input as its producer, beside
/// the delivery, behind a bounded ``UnitBatches``.
///
/// ```swift
/// let input = ImportInput.reading(bytesTotal: nil) { ImportReader(sources: sources, options: options) }
/// ```
public struct ImportInput: Sendable {
    /// Fills the channel with batches of at most `chunkSize` units, then finishes it.
    let produce: @Sendable (UnitBatches, _ chunkSize: Int) async -> Void
    /// The input's size as stored, for progress (nil when unknown).
    public var bytesTotal: Int64?

    /// A synchronous source (files, stdin, rejects being replayed), read on a thread of its
    /// own: file reads, inflate and parsing are blocking work and stay off the cooperative pool.
    /// `make` runs on that thread, so the source need not be `Sendable`.
    public static func reading(
        bytesTotal: Int64? = nil, _ make: @escaping @Sendable () -> any UnitSource
    ) -> ImportInput {
        ImportInput(
            produce: { channel, chunkSize in
                let thread = Thread {
                    let source = make()
                    var batcher = UnitBatcher(chunkSize: chunkSize)
                    while let event = source.next() {
                        if let full = batcher.append(event, source: source) {
                            guard channel.put(full) else { return }
                        }
                    }
                    if let last = batcher.flush(source: source) { _ = channel.put(last) }
                    channel.finish()
                }
                thread.name = "memport-reader"
                thread.stackSize = 16 << 20
                thread.start()
                // Returns when the reader is done, or when the engine no longer waits for it
                // (an interrupt while the thread blocks in read(2) on a pipe).
                await channel.closed()
            }, bytesTotal: bytesTotal)
    }

    /// An asynchronous producer (a migration's pages): `body` hands events to the sink, which
    /// passes them on a chunk at a time and suspends while the engine is behind.
    public static func producing(
        _ body: @escaping @Sendable (UnitSink) async throws -> Void
    ) -> ImportInput {
        ImportInput(
            produce: { channel, chunkSize in
                let sink = UnitSink(channel: channel, chunkSize: chunkSize)
                do {
                    try await body(sink)
                    await sink.flush()
                    channel.finish()
                } catch {
                    await sink.flush()
                    channel.finish(throwing: error)
                }
            }, bytesTotal: nil)
    }
}

/// Gathers events into batches of at most one chunk's worth of units.
///
/// The first batch holds at most ``firstChunk`` units: the first calls go out once it is
/// recorded, so a smaller one lets a run start sending sooner, while the next chunks are
/// read and recorded during its calls.
struct UnitBatcher {
    /// The most units in the first batch.
    static let firstChunk = 100

    let chunkSize: Int
    var events: [ImportEvent] = []
    var units = 0
    var lastRecords = 0
    var batches = 0

    init(chunkSize: Int) { self.chunkSize = max(chunkSize, 1) }

    /// The most units in the batch being gathered.
    var limit: Int { batches == 0 ? min(chunkSize, Self.firstChunk) : chunkSize }

    /// Adds an event; returns a full batch to hand over.
    mutating func append(_ event: ImportEvent, source: any UnitSource) -> UnitBatch? {
        append(event, records: source.recordCount, bytes: source.uncompressedBytes, stored: source.sourceBytesRead)
    }

    mutating func append(_ event: ImportEvent, records: Int, bytes: Int64, stored: Int64) -> UnitBatch? {
        if case .unit = event { units += 1 }
        events.append(event)
        lastRecords = records
        // Rejects and skips count too, so an input of nothing but rejects stays bounded.
        guard units >= limit || events.count >= limit * 4 else { return nil }
        return take(records: records, bytes: bytes, stored: stored)
    }

    mutating func flush(source: any UnitSource) -> UnitBatch? {
        events.isEmpty
            ? nil : take(records: source.recordCount, bytes: source.uncompressedBytes, stored: source.sourceBytesRead)
    }

    mutating func take(records: Int, bytes: Int64, stored: Int64) -> UnitBatch {
        defer {
            events = []
            units = 0
            batches += 1
        }
        return UnitBatch(events: events, records: records, bytesRead: bytes, sourceBytesRead: stored)
    }
}

/// Where an asynchronous producer hands its events (``ImportInput/producing(_:)``).
public final class UnitSink: Sendable {
    private let channel: UnitBatches
    private let state: LockedBatcher

    init(channel: UnitBatches, chunkSize: Int) {
        self.channel = channel
        state = LockedBatcher(UnitBatcher(chunkSize: chunkSize))
    }

    /// Hands over one event, with the records read so far.
    ///
    /// - Returns: `false` once the engine stopped reading: stop producing.
    @discardableResult
    public func yield(_ event: ImportEvent, records: Int) async -> Bool {
        guard let full = state.withLock({ $0.append(event, records: records, bytes: 0, stored: 0) }) else {
            return true
        }
        return await channel.send(full)
    }

    func flush() async {
        let last = state.withLock { b -> UnitBatch? in
            b.events.isEmpty ? nil : b.take(records: b.lastRecords, bytes: 0, stored: 0)
        }
        if let last { _ = await channel.send(last) }
    }
}

/// A batcher behind a lock, for the one producer task that owns a sink.
///
/// `@unchecked Sendable`: `batcher` is only touched inside `withLock`.
final class LockedBatcher: @unchecked Sendable {
    private let lock = NSLock()
    private var batcher: UnitBatcher

    init(_ batcher: UnitBatcher) { self.batcher = batcher }

    func withLock<T>(_ body: (inout UnitBatcher) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&batcher)
    }
}
