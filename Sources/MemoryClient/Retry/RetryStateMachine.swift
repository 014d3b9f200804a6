import MemoryAPI

/// The retry decision for one call, as a value: feed it each attempt's outcome, it says
/// whether to wait and try again, and for how long, or to give up and why.
///
/// It never sleeps, reads a clock or draws a random number on its own: the caller passes
/// the time (`now`, seconds on any monotonic scale) and a generator.
///
/// ```swift
/// var machine = RetryStateMachine(policy: .standard, idempotent: true, startedAt: clock.now())
/// while true {
///     machine.attemptStarted()
///     do { return try await send() } catch let error as MemoryAPIError {
///         switch machine.failed(error, now: clock.now(), using: &rng) {
///         case .retry(let after): try await clock.sleep(seconds: after)
///         case .giveUp: throw error
///         }
///     }
/// }
/// ```
public struct RetryStateMachine: Sendable, Hashable {
    /// What to do after a failed attempt.
    public enum Decision: Sendable, Hashable {
        /// Wait this many seconds, then send again.
        case retry(after: Double)
        /// Stop and hand the error to the caller.
        case giveUp(GiveUpReason)
    }

    /// Why the machine stopped retrying.
    public enum GiveUpReason: String, Sendable, Hashable {
        /// The error is not transient (validation, auth, not found, decoding, ...).
        case notRetryable = "not_retryable"
        /// The call is not idempotent and the request may have been applied: the caller's
        /// ledger must find out what happened before anything is sent again.
        case ambiguous
        /// `maxAttempts` attempts were made.
        case attemptsExhausted = "attempts_exhausted"
        /// The next wait would end past `maxTotalTime`.
        case timeBudgetExhausted = "time_budget_exhausted"
    }

    /// The policy.
    public let policy: RetryPolicy
    /// Whether sending the request twice is harmless.
    public let idempotent: Bool
    /// When the call started, on the caller's clock.
    public let startedAt: Double
    /// Attempts started so far.
    public private(set) var attempts = 0

    /// Creates the machine for one call.
    public init(policy: RetryPolicy, idempotent: Bool, startedAt: Double) {
        self.policy = policy
        self.idempotent = idempotent
        self.startedAt = startedAt
    }

    /// Retries made so far (attempts after the first).
    public var retries: Int { max(0, attempts - 1) }

    /// Records that an attempt is being sent.
    public mutating func attemptStarted() { attempts += 1 }

    /// Decides what follows a failed attempt.
    public mutating func failed(
        _ error: MemoryAPIError, now: Double, using random: inout some RandomNumberGenerator
    ) -> Decision {
        guard policy.isRetryable(error, idempotent: idempotent) else {
            let ambiguous = !idempotent && error.mayHaveBeenApplied
            return .giveUp(ambiguous ? .ambiguous : .notRetryable)
        }
        guard attempts < policy.maxAttempts else { return .giveUp(.attemptsExhausted) }
        let ceiling = policy.ceiling(forRetry: attempts)
        // A uniform draw in 0..<1 from the top 53 bits, so a given generator gives exact waits.
        let unit = Double(random.next() >> 11) * 0x1p-53
        var wait = unit * ceiling
        if let retryAfter = error.retryAfter { wait = max(wait, retryAfter) }
        guard now + wait - startedAt <= policy.maxTotalTime else { return .giveUp(.timeBudgetExhausted) }
        return .retry(after: wait)
    }
}
