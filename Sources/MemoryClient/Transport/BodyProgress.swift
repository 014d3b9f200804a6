import NIOConcurrencyHelpers
import NIOCore

/// How far a request body got: not asked for, handed to the connection, or handed over whole.
///
/// AsyncHTTPClient pulls a streamed body only once the request head is on the wire, so a body
/// that was never pulled cannot have reached the server whole, and the request cannot have been
/// applied. Once it was pulled, a failure is ambiguous.
final class BodyProgress: Sendable {
    /// The stages of a body.
    enum Stage: Int, Sendable, Comparable {
        case notStarted, started, finished
        static func < (a: Stage, b: Stage) -> Bool { a.rawValue < b.rawValue }
    }

    private let box = NIOLockedValueBox(Stage.notStarted)

    /// The stage reached.
    var stage: Stage { box.withLockedValue { $0 } }

    func advance(to stage: Stage) {
        box.withLockedValue { current in current = max(current, stage) }
    }
}

/// A one-chunk request body that reports to a ``BodyProgress`` when it is pulled.
struct TrackedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let buffer: ByteBuffer
    let progress: BodyProgress

    struct AsyncIterator: AsyncIteratorProtocol {
        var buffer: ByteBuffer?
        let progress: BodyProgress

        mutating func next() async -> ByteBuffer? {
            if let chunk = buffer {
                buffer = nil
                progress.advance(to: .started)
                return chunk
            }
            progress.advance(to: .finished)
            return nil
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(buffer: buffer, progress: progress) }
}
