import NIOConcurrencyHelpers

/// Counts of what a client's calls went through, for summaries.
public struct ClientStatistics: Sendable, Hashable {
    /// Calls made (each may take several attempts).
    public var calls = 0
    /// Requests sent, retries included.
    public var attempts = 0
    /// Attempts after the first of a call.
    public var retries = 0
    /// 429 answers seen.
    public var rateLimited = 0
    /// Calls that failed in the end.
    public var failures = 0
    /// Failed calls whose request may have been applied (left to the caller's ledger).
    public var ambiguousFailures = 0

    /// Creates empty counts.
    public init() {}
}

/// The live counters behind ``ClientStatistics``, shared by concurrent calls.
final class StatisticsBox: Sendable {
    private let box = NIOLockedValueBox(ClientStatistics())

    var snapshot: ClientStatistics { box.withLockedValue { $0 } }

    func update(_ body: (inout ClientStatistics) -> Void) { box.withLockedValue { body(&$0) } }
}
