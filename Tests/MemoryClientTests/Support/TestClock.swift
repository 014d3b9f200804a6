import Foundation
import MemoryClient

/// A clock for tests: sleeping advances time at once and is recorded.
///
/// `@unchecked Sendable` because its state is guarded by `lock` on every access.
final class TestClock: MemoryClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Double
    private var wall: Date
    private var recorded: [Double] = []

    init(now: Double = 1000, wall: Date = Date(timeIntervalSince1970: 1_700_000_000)) {
        current = now
        self.wall = wall
    }

    func now() -> Double { lock.withLock { current } }

    func date() -> Date { lock.withLock { wall.addingTimeInterval(current) } }

    func sleep(seconds: Double) async throws {
        try Task.checkCancellation()
        lock.withLock {
            recorded.append(seconds)
            if seconds > 0 { current += seconds }
        }
    }

    /// Moves time forward without a sleep.
    func advance(_ seconds: Double) { lock.withLock { current += seconds } }

    /// The sleeps so far.
    var sleeps: [Double] { lock.withLock { recorded } }
}
