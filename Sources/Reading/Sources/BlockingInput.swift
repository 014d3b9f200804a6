import Synchronization

/// Whether the reader is waiting in `open(2)` or `read(2)` on an input that may never answer
/// (standard input, a pipe, a FIFO with no writer). Such a wait cannot be cancelled, so an
/// interrupted command that finds the reader waiting here ends the process instead of waiting
/// for input that may never come (the ledger is safe at any moment, as after a SIGKILL).
public enum BlockingInput {
    private static let waits = Atomic<Int>(0)

    /// `true` while some reader is blocked on a stream input.
    public static var isWaiting: Bool { waits.load(ordering: .acquiring) > 0 }

    /// Runs a blocking call on a stream input, marked as waiting.
    static func wait<T>(_ body: () throws -> T) rethrows -> T {
        waits.add(1, ordering: .releasing)
        defer { waits.subtract(1, ordering: .releasing) }
        return try body()
    }
}
