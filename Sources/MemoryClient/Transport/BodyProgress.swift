import NIOConcurrencyHelpers
import NIOCore

/// How far a request body got: not asked for, handed to the connection, or handed over whole.
///
/// AsyncHTTPClient asks for a streamed body only once the request head is on the wire, so a body
/// it never asked for cannot have reached the server whole, and the request cannot have been
/// applied. Once it was asked for, a failure is ambiguous (``Transport/trackedBody(_:progress:)``).
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
