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

/// A request body of bytes that reports to a ``BodyProgress`` when AsyncHTTPClient copies it out.
///
/// A collection body (`HTTPClientRequest.Body.bytes(_:length:)`) up to ``largest`` bytes is
/// turned into a buffer on the event loop right after the request head went out, in one write
/// with no task of its own; the copy goes through ``withContiguousStorageIfAvailable(_:)``, which
/// marks the body started. Larger bodies are cut into chunks without that call, so they go as a
/// ``TrackedBody`` stream instead.
struct TrackedBytes: Collection, Sendable {
    /// The largest body sent this way: below AsyncHTTPClient's 4 MiB cut into chunks.
    static let largest = 1 << 20

    let bytes: [UInt8]
    let progress: BodyProgress

    var startIndex: Int { bytes.startIndex }
    var endIndex: Int { bytes.endIndex }
    subscript(position: Int) -> UInt8 { bytes[position] }
    func index(after i: Int) -> Int { i + 1 }

    func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        progress.advance(to: .started)
        return try bytes.withUnsafeBufferPointer(body)
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
