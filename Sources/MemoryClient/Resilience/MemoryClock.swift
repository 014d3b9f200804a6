import Foundation

/// The time source of the retry and pacing machinery: a monotonic reading, the wall clock
/// (for `Retry-After` HTTP dates), and a way to wait.
///
/// The pure state machines never read a clock themselves; the drivers pass them `now()`.
/// Tests inject a clock that advances instantly instead of sleeping.
public protocol MemoryClock: Sendable {
    /// Seconds since a fixed, arbitrary origin; never goes backwards.
    func now() -> Double
    /// The wall-clock time, for HTTP dates.
    func date() -> Date
    /// Waits `seconds` (returns at once for zero or less); throws when the task is cancelled.
    func sleep(seconds: Double) async throws
}

/// The real clock: `ContinuousClock` for readings and waits, `Date()` for the wall time.
public struct SystemClock: MemoryClock {
    private static let origin = ContinuousClock.now

    /// Creates the system clock.
    public init() {}

    /// Seconds since the first use of the system clock in this process.
    public func now() -> Double {
        let d = ContinuousClock.now - Self.origin
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// `Date()`.
    public func date() -> Date { Date() }

    /// `Task.sleep` for the given seconds.
    public func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(for: .seconds(seconds))
    }
}
