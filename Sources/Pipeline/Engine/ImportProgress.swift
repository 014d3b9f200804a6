/// The counters of a run, as progress displays and summaries show them.
public struct ImportProgress: Sendable, Hashable, Codable {
    /// Records the formats read.
    public var records = 0
    /// Units the adapters made.
    public var units = 0
    /// Messages in those units.
    public var messages = 0
    /// Units applied by this run.
    public var confirmed = 0
    /// Units found already delivered (by an earlier run, another job, or on the target).
    public var skippedExisting = 0
    /// Units and records rejected by this run.
    public var rejects = 0
    /// Units left for a later run (retryable failures).
    public var deferred = 0
    /// Units sent and not answered yet.
    public var inFlight = 0
    /// Messages dropped by rule (system turns, tool calls), by reason.
    public var skippedMessages: [String: Int] = [:]
    /// Rejects by reason.
    public var rejectsByReason: [String: Int] = [:]
    /// Retries the target's transport made.
    public var retries = 0
    /// 429 answers the target gave (each retried).
    public var rateLimited = 0
    /// Uncompressed input bytes read.
    public var bytesRead: Int64 = 0
    /// Input bytes consumed as stored on disk (compressed bytes for gzip).
    public var sourceBytesRead: Int64 = 0
    /// The inputs' total size on disk, when every one is a regular file (gzip included); nil
    /// for standard input, pipes and FIFOs.
    public var bytesTotal: Int64?
    /// Seconds since the run started.
    public var elapsed: Double = 0

    /// Creates empty counters.
    public init() {}

    /// Units per second so far.
    public var rate: Double { elapsed > 0 ? Double(confirmed + skippedExisting) / elapsed : 0 }

    /// Seconds left, estimated from the bytes consumed; nil when unknown.
    public var eta: Double? {
        guard let fraction, fraction > 0, elapsed > 0 else { return nil }
        let done = fraction
        return done >= 1 ? 0 : elapsed / done - elapsed
    }

    /// The share of the inputs consumed (0 to 1), from their bytes on disk; nil when unknown.
    public var fraction: Double? {
        guard let total = bytesTotal, total > 0 else { return nil }
        return min(1, Double(sourceBytesRead) / Double(total))
    }

    mutating func reject(_ reason: String) {
        rejects += 1
        rejectsByReason[reason, default: 0] += 1
    }
}
