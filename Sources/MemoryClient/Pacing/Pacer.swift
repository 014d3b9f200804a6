/// The live pacing of one client: the token bucket, the concurrency window, the learned rate
/// and the pause a server asked for, shared by every call.
///
/// ``acquire()`` waits for a concurrency slot, then for a token and for any pause to end;
/// ``release(_:signal:rateLimit:sentAt:)`` hands the slot back and feeds what the response said
/// (429, `Retry-After`, `X-RateLimit-*`) into the limits. With a learning policy
/// (``PacingPolicy/learnsLimit``) a ``RateLearner`` sets the bucket's rate and the pause (one
/// per rate signal), and the window is left alone: a 429 is about rate, and a transient fault
/// (503, a dropped connection) is about neither. The decisions themselves are the value types
/// ``TokenBucket``, ``AIMDLimiter``, ``RateLearner`` and ``RateLimitHeaders``; this actor only
/// queues and waits.
public actor Pacer {
    private let policy: PacingPolicy
    private let clock: any MemoryClock
    private var bucket: TokenBucket
    private var limiter: AIMDLimiter
    private var learner: RateLearner?
    private var pausedUntil: Double = 0
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<AIMDLimiter.Permit, any Error>)] = []
    private var nextWaiterID: UInt64 = 0

    /// Creates the pacer for a policy.
    public init(policy: PacingPolicy, clock: any MemoryClock) {
        self.policy = policy
        self.clock = clock
        bucket = TokenBucket(ratePerMinute: policy.requestsPerMinute, burst: policy.burst, now: clock.now())
        limiter = AIMDLimiter(maxLimit: policy.maxConcurrency, minLimit: policy.minConcurrency)
        if policy.learnsLimit {
            let start = policy.requestsPerMinute > 0 ? policy.requestsPerMinute / 60 : nil
            learner = RateLearner(
                .init(initialRate: start, assumedLimit: policy.documentedLimit.map { $0 / 60 }))
        }
    }

    /// The rate it paces at now, in requests a minute; 0 while unpaced.
    public var requestsPerMinute: Double { bucket.ratePerMinute }

    /// What the learning pacer has found, when the policy learns.
    public var learned: RateLearner? { learner }

    /// The live concurrency limit.
    public var concurrencyLimit: Int { limiter.limit }

    /// Requests holding a slot now.
    public var inFlight: Int { limiter.inFlight }

    /// Waits until a request may be sent, and returns its slot.
    public func acquire() async throws -> AIMDLimiter.Permit {
        let permit = try await slot()
        do {
            let now = clock.now()
            let wait = max(bucket.reserve(now: now), pausedUntil - now)
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
        if var learner {
            limiter.release(permit, signal == .rateLimited ? .neutral : signal)
            let now = clock.now()
            let code = status ?? (signal == .rateLimited ? 429 : signal == .success ? 200 : 0)
            learner.answered(status: code, headers: rateLimit, sentAt: sentAt ?? now, now: now)
            self.learner = learner
            let perMinute = (learner.rate ?? 0) * 60
            if perMinute != bucket.ratePerMinute { bucket.setRate(perMinute: perMinute, now: now) }
            if policy.sharesRetryAfter { pausedUntil = max(pausedUntil, learner.pausedUntil) }
            wakeWaiters()
            return
        }
        limiter.release(permit, signal)
        if let rateLimit {
            let now = clock.now()
            if signal == .rateLimited, policy.sharesRetryAfter, let after = rateLimit.retryAfter {
                pausedUntil = max(pausedUntil, now + after)
            }
            if let hold = rateLimit.slowdown(threshold: policy.slowdownThreshold, floor: policy.slowdownFloor) {
                pausedUntil = max(pausedUntil, now + hold)
            }
        }
        wakeWaiters()
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
        if waiters.isEmpty, let permit = limiter.tryAcquire() { return permit }
        try Task.checkCancellation()
        nextWaiterID += 1
        let id = nextWaiterID
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiters.append((id, continuation))
                wakeWaiters()
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        let waiter = waiters.remove(at: index)
        waiter.continuation.resume(throwing: CancellationError())
    }

    private func wakeWaiters() {
        while !waiters.isEmpty, let permit = limiter.tryAcquire() {
            let waiter = waiters.removeFirst()
            waiter.continuation.resume(returning: permit)
        }
    }
}
