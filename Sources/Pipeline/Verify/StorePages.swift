import Dispatch
import MemoryAPI
import Reading

/// A self-hosted store read page by page for `verify` and for the export of a store
/// (`StorePager`), each page read on a serial dispatch queue of its own: the readers block
/// (SQLite reads, postgres-nio futures waited on), and blocking work stays off the cooperative
/// pool.
///
/// `@unchecked Sendable` because the reader is not thread-safe: every use of it (each page read,
/// and `close()`) runs on the one serial queue, so a close asked for while a page read is still
/// running (an export's page read ahead) waits for that read to end.
final class StorePages: @unchecked Sendable {
    /// One page: each point as a memory (or the located reason it is none), and where the store
    /// stands after it.
    struct Page: Sendable {
        /// The points, in the store's key order.
        var memories: [Result<Memory, ReadingError>]
        /// Opening the store from here continues with the next page.
        var position: StorePosition
    }

    private let spec: StoreSpec
    private let batchSize: Int
    private let start: StorePosition
    private var reader: (any StoreReader)?
    private var ended = false
    private let queue = DispatchQueue(label: "memport.store-pages")

    /// Prepares to read a store; nothing is opened until the first page.
    ///
    /// - Parameters:
    ///   - batchSize: points per page.
    ///   - position: where an earlier read stopped (an export's checkpoint); the start unless given.
    init(_ spec: StoreSpec, batchSize: Int = StoreReaders.defaultBatchSize, from position: StorePosition = .start) {
        self.spec = spec
        self.batchSize = batchSize
        self.start = position
        ended = position.ended
    }

    /// The next page's memories (or the located reason a point is none), nil at the end.
    ///
    /// - Throws: `PipelineError` when the store cannot be opened or read further.
    func next() async throws -> [Result<Memory, ReadingError>]? {
        try await nextPage()?.memories
    }

    /// The next page with the position after it, nil at the end.
    ///
    /// - Throws: `PipelineError` when the store cannot be opened or read further.
    func nextPage() async throws -> Page? {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.read() })
            }
        }
    }

    /// Closes the store (also done at its end or on an error), after a page read still running.
    func close() {
        queue.async { self.closeNow() }
    }

    private func closeNow() {
        ended = true
        reader?.close()
        reader = nil
    }

    private func read() throws -> Page? {
        guard !ended else { return nil }
        do {
            if reader == nil { reader = try StoreSources.open(spec, batchSize: batchSize, from: start) }
            guard let reader, let points = try reader.next() else {
                closeNow()
                return nil
            }
            return Page(memories: points.map { StoreSources.memory(of: $0, spec: spec) }, position: reader.position)
        } catch {
            closeNow()
            throw error
        }
    }
}
