import MemoryAPI

/// How failed calls are retried: which failures, how many times, how long to wait, and for how
/// long in all.
///
/// The wait is full-jitter exponential backoff: a uniform draw from `0 ..< min(maxDelay,
/// baseDelay · 2ⁿ)` before the n-th retry. A `Retry-After` from the server is honoured as a
/// lower bound, even beyond `maxDelay`, as long as the total budget allows it.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included; 1 disables retries.
    public var maxAttempts: Int
    /// The backoff ceiling before the first retry, in seconds.
    public var baseDelay: Double
    /// The cap on a computed backoff, in seconds.
    public var maxDelay: Double
    /// Seconds from the start of a call after which no retry is started.
    public var maxTotalTime: Double
    /// Statuses that are retried on idempotent calls.
    public var retryableStatuses: Set<Int>
    /// Statuses that are retried even on a call that is not idempotent (add): the server
    /// refused the request before doing anything.
    public var notAppliedStatuses: Set<Int>

    /// Creates a policy.
    public init(
        maxAttempts: Int = 6, baseDelay: Double = 0.25, maxDelay: Double = 20, maxTotalTime: Double = 300,
        retryableStatuses: Set<Int> = [408, 429, 500, 502, 503, 504], notAppliedStatuses: Set<Int> = [408, 429, 503]
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = max(0, baseDelay)
        self.maxDelay = max(0, maxDelay)
        self.maxTotalTime = max(0, maxTotalTime)
        self.retryableStatuses = retryableStatuses
        self.notAppliedStatuses = notAppliedStatuses
    }

    /// The default: 6 attempts, 0.25 s base, 20 s cap, 5 minutes in all.
    public static let standard = RetryPolicy()

    /// No retries at all.
    public static let never = RetryPolicy(maxAttempts: 1)

    /// The backoff ceiling before retry number `retry` (1-based): `min(maxDelay, baseDelay · 2^(retry-1))`.
    public func ceiling(forRetry retry: Int) -> Double {
        let exponent = Double(min(max(retry - 1, 0), 60))
        return min(maxDelay, baseDelay * pow2(exponent))
    }

    /// Whether an error is worth another attempt, before looking at budgets.
    ///
    /// Timeouts and connection failures are retried; so are the statuses above. A call that
    /// is not idempotent is retried only when the error says the request was not applied.
    public func isRetryable(_ error: MemoryAPIError, idempotent: Bool) -> Bool {
        let transient: Bool
        if error.code == .timeout || error.code == .connection {
            transient = true
        } else if let status = error.status, retryableStatuses.contains(status) {
            transient = idempotent || notAppliedStatuses.contains(status)
        } else {
            transient = false
        }
        guard transient else { return false }
        return idempotent || !error.mayHaveBeenApplied
    }

    private func pow2(_ e: Double) -> Double {
        var r = 1.0
        var i = 0.0
        while i < e {
            r *= 2
            i += 1
        }
        return r
    }
}
