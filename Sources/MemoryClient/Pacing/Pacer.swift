import Synchronization

/// The live pacing of one client: the token bucket, the concurrency window, the learned rate
/// and the pause a server asked for, shared by every call.
///
/// ``acquire()`` waits for a concurrency slot, then for a token and for any pause to end;
/// ``release(_:signal:rateLimit:sentAt:)`` hands the slot back and feeds what the response said
/// (429, `Retry-After`, `X-RateLimit-*`) into the limits. With a learning policy
/// (``PacingPolicy/learnsLimit``) a ``RateLearner`` sets the bucket's rate and the pause (one
/// per rate signal), and the window is left alone: a 429 is about rate, and a transient fault
/// (503, a dropped connection) is about neither. The decisions themselves are the value types
/// ``TokenBucket``, ``AIMDLimiter``, ``RateLearner`` and ``RateLimitHeaders``; this class only
/// queues and waits.
public final class Pacer: Sendable {
    private typealias Waiter = (id: UInt64, continuation: CheckedContinuation<AIMDLimiter.Permit, any Error>)

    /// Everything the calls share, behind one lock.
    private struct State: Sendable {
        var bucket: TokenBucket
        var limiter: AIMDLimiter
        var learner: RateLearner?
        var pausedUntil: Double = 0
        var waiters: [Waiter] = []
        var nextWaiterID: UInt64 = 0

        /// Hands free slots to waiters, oldest first; the caller resumes them outside the lock.
        mutating func wakeable() -> [(Waiter, AIMDLimiter.Permit)] {
            var woken: [(Waiter, AIMDLimiter.Permit)] = []
            while !waiters.isEmpty, let permit = limiter.tryAcquire() {
                woken.append((waiters.removeFirst(), permit))
            }
            return woken
        }
    }

    private let policy: PacingPolicy
    private let clock: any MemoryClock
    // A lock, not an actor: every call takes and gives back a slot, and an actor would add
    // two executor hops to each (onto the actor and off again, twice), which at a thousand
    // calls a second cost more than the pacing itself. Waiting still suspends the task.
    private let state: Mutex<State>

    /// Creates the pacer for a policy.
    public init(policy: PacingPolicy, clock: any MemoryClock) {
        self.policy = policy
        self.clock = clock
        var learner: RateLearner?
        if policy.learnsLimit {
            let start = policy.requestsPerMinute > 0 ? policy.requestsPerMinute / 60 : nil
            learner = RateLearner(.init(initialRate: start, assumedLimit: policy.documentedLimit.map { $0 / 60 }))
        }
        state = Mutex(
            State(
                bucket: TokenBucket(ratePerMinute: policy.requestsPerMinute, burst: policy.burst, now: clock.now()),
                limiter: AIMDLimiter(maxLimit: policy.maxConcurrency, minLimit: policy.minConcurrency),
                learner: learner))
    }

    /// The rate it paces at now, in requests a minute; 0 while unpaced.
    public var requestsPerMinute: Double { state.withLock { $0.bucket.ratePerMinute } }

    /// What the learning pacer has found, when the policy learns.
    public var learned: RateLearner? { state.withLock { $0.learner } }

    /// The live concurrency limit.
    public var concurrencyLimit: Int { state.withLock { $0.limiter.limit } }

    /// Requests holding a slot now.
    public var inFlight: Int { state.withLock { $0.limiter.inFlight } }

    /// Waits until a request may be sent, and returns its slot.
    public func acquire() async throws -> AIMDLimiter.Permit {
        let permit = try await slot()
        do {
            let now = clock.now()
            let wait = state.withLock { s in max(s.bucket.reserve(now: now), s.pausedUntil - now) }
            if wait > 0 { try await clock.sleep(seconds: wait) }
            return permit
        } catch {
            release(permit, signal: .neutral, rateLimit: nil)
            throw error
        }
    }

    /// Gives the slot back and learns from the response; `sentAt` is when its request went out
    /// (nil: now), so the answers of requests sent before a rate signal count as that signal.
    public func release(
        _ permit: AIMDLimiter.Permit, signal: AIMDLimiter.Signal, rateLimit: RateLimitHeaders?,
        sentAt: Double? = nil, status: Int? = nil
    ) {
        let now = clock.now()
        let woken = state.withLock { s in
            if var learner = s.learner {
                s.limiter.release(permit, signal == .rateLimited ? .neutral : signal)
                let code = status ?? (signal == .rateLimited ? 429 : signal == .success ? 200 : 0)
                learner.answered(status: code, headers: rateLimit, sentAt: sentAt ?? now, now: now)
                s.learner = learner
                let perMinute = (learner.rate ?? 0) * 60
                if perMinute != s.bucket.ratePerMinute { s.bucket.setRate(perMinute: perMinute, now: now) }
                if policy.sharesRetryAfter { s.pausedUntil = max(s.pausedUntil, learner.pausedUntil) }
                return s.wakeable()
            }
            s.limiter.release(permit, signal)
            if let rateLimit {
                if signal == .rateLimited, policy.sharesRetryAfter, let after = rateLimit.retryAfter {
                    s.pausedUntil = max(s.pausedUntil, now + after)
                }
                if let hold = rateLimit.slowdown(threshold: policy.slowdownThreshold, floor: policy.slowdownFloor) {
                    s.pausedUntil = max(s.pausedUntil, now + hold)
                }
            }
            return s.wakeable()
        }
        for (waiter, slot) in woken { waiter.continuation.resume(returning: slot) }
    }

    /// Runs `body` holding a slot, releasing it with the signal `body` reports.
    public func withPermit<T: Sendable>(
        _ body: @Sendable () async throws -> (T, AIMDLimiter.Signal, RateLimitHeaders?)
    ) async throws -> T {
        let permit = try await acquire()
        let sentAt = clock.now()
        do {
            let (value, signal, headers) = try await body()
            release(permit, signal: signal, rateLimit: headers, sentAt: sentAt)
            return value
        } catch {
            release(permit, signal: .neutral, rateLimit: nil, sentAt: sentAt)
            throw error
        }
    }

    private func slot() async throws -> AIMDLimiter.Permit {
        let (free, id) = state.withLock { s -> (AIMDLimiter.Permit?, UInt64) in
            if s.waiters.isEmpty, let permit = s.limiter.tryAcquire() { return (permit, 0) }
            s.nextWaiterID += 1
            return (nil, s.nextWaiterID)
        }
        if let free { return free }
        try Task.checkCancellation()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let woken = state.withLock { s in
                    s.waiters.append((id, continuation))
                    return s.wakeable()
                }
                for (waiter, slot) in woken { waiter.continuation.resume(returning: slot) }
                // Cancelled before it was queued: the handler found nothing to take out.
                if Task.isCancelled { cancelWaiter(id) }
            }
        } onCancel: {
            cancelWaiter(id)
        }
    }

    private func cancelWaiter(_ id: UInt64) {
        let waiter = state.withLock { s -> Waiter? in
            guard let index = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return s.waiters.remove(at: index)
        }
        waiter?.continuation.resume(throwing: CancellationError())
    }
}
