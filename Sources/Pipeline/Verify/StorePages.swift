import Dispatch
import MemoryAPI
import Reading

/// A self-hosted store read page by page for `verify`, each page read on a global dispatch
/// thread: the readers block (SQLite reads, postgres-nio futures waited on), and blocking work
/// stays off the cooperative pool.
///
/// `@unchecked Sendable` because the reader is not thread-safe but is only ever used by one
/// page read at a time: `next()` awaits each read before the caller can ask for another.
final class StorePages: @unchecked Sendable {
    private let spec: StoreSpec
    private var reader: (any StoreReader)?
    private var ended = false

    /// Prepares to read a store; nothing is opened until the first page.
    init(_ spec: StoreSpec) { self.spec = spec }

    /// The next page's memories (or the located reason a point is none), nil at the end.
    ///
    /// - Throws: `PipelineError` when the store cannot be opened or read further.
    func next() async throws -> [Result<Memory, ReadingError>]? {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try self.read() })
            }
        }
    }

    /// Closes the store (also done at its end or on an error).
    func close() {
        reader?.close()
        reader = nil
    }

    private func read() throws -> [Result<Memory, ReadingError>]? {
        guard !ended else { return nil }
        do {
            if reader == nil { reader = try StoreSources.open(spec) }
            guard let points = try reader?.next() else {
                ended = true
                close()
                return nil
            }
            return points.map { StoreSources.memory(of: $0, spec: spec) }
        } catch {
            ended = true
            close()
            throw error
        }
    }
}
