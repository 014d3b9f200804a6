import MemoryAPI
import Testing

@testable import MemoryClient

/// A generator that always returns the same fraction of the range, so waits are exact.
struct FixedFraction: RandomNumberGenerator {
    var fraction: Double
    mutating func next() -> UInt64 { UInt64(fraction * 0x1p53) << 11 }
}

struct RetryStateMachineTests {
    static func status(_ s: Int, retryAfter: Double? = nil, applied: Bool = false) -> MemoryAPIError {
        var e = MemoryAPIError.fromResponse(status: s, body: .init(), retryAfter: retryAfter)
        e.mayHaveBeenApplied = applied
        return e
    }

    static let timeout = MemoryAPIError(.timeout, "t")
    static let ambiguousDrop = MemoryAPIError(.connection, "dropped", mayHaveBeenApplied: true)
    static let refused = MemoryAPIError(.connection, "refused", mayHaveBeenApplied: false)

    struct Case: Sendable, CustomTestStringConvertible {
        var error: MemoryAPIError
        var idempotent: Bool
        var retry: Bool
        var reason: RetryStateMachine.GiveUpReason?
        var testDescription: String { "\(error.code)/\(error.status ?? 0) idempotent=\(idempotent)" }
    }

    static let cases: [Case] = [
        // Idempotent calls retry every transient failure.
        .init(error: status(429), idempotent: true, retry: true),
        .init(error: status(500, applied: true), idempotent: true, retry: true),
        .init(error: status(502, applied: true), idempotent: true, retry: true),
        .init(error: status(503), idempotent: true, retry: true),
        .init(error: status(504, applied: true), idempotent: true, retry: true),
        .init(error: status(408), idempotent: true, retry: true),
        .init(error: timeout, idempotent: true, retry: true),
        .init(error: ambiguousDrop, idempotent: true, retry: true),
        .init(error: refused, idempotent: true, retry: true),
        // Permanent failures never retry.
        .init(error: status(400), idempotent: true, retry: false, reason: .notRetryable),
        .init(error: status(401), idempotent: true, retry: false, reason: .notRetryable),
        .init(error: status(403), idempotent: false, retry: false, reason: .notRetryable),
        .init(error: status(404), idempotent: true, retry: false, reason: .notRetryable),
        .init(error: status(413), idempotent: true, retry: false, reason: .notRetryable),
        .init(error: status(422), idempotent: false, retry: false, reason: .notRetryable),
        .init(error: status(501), idempotent: true, retry: false, reason: .notRetryable),
        .init(error: MemoryAPIError(.decoding, "x"), idempotent: true, retry: false, reason: .notRetryable),
        // An add retries only what was certainly not applied.
        .init(error: status(429), idempotent: false, retry: true),
        .init(error: status(503), idempotent: false, retry: true),
        .init(error: status(408), idempotent: false, retry: true),
        .init(error: refused, idempotent: false, retry: true),
        .init(error: MemoryAPIError(.timeout, "connect", mayHaveBeenApplied: false), idempotent: false, retry: true),
        .init(error: status(500, applied: true), idempotent: false, retry: false, reason: .ambiguous),
        .init(error: status(502, applied: true), idempotent: false, retry: false, reason: .ambiguous),
        .init(error: status(504, applied: true), idempotent: false, retry: false, reason: .ambiguous),
        .init(error: ambiguousDrop, idempotent: false, retry: false, reason: .ambiguous),
        .init(
            error: MemoryAPIError(.timeout, "read", mayHaveBeenApplied: true), idempotent: false, retry: false,
            reason: .ambiguous),
    ]

    @Test(arguments: cases)
    func classifiesFailures(_ c: Case) {
        var machine = RetryStateMachine(policy: .standard, idempotent: c.idempotent, startedAt: 0)
        machine.attemptStarted()
        var rng = FixedFraction(fraction: 0.5)
        let decision = machine.failed(c.error, now: 0, using: &rng)
        if c.retry {
            guard case .retry = decision else {
                Issue.record("expected a retry, got \(decision)")
                return
            }
        } else {
            #expect(decision == .giveUp(c.reason!))
        }
    }

    @Test(arguments: [(0.0, [0.0, 0, 0, 0, 0]), (0.5, [0.5, 1, 2, 4, 5]), (0.999_999, [1, 2, 4, 8, 10])])
    func fullJitterGrowsExponentiallyUnderTheCap(fraction: Double, expected: [Double]) {
        let policy = RetryPolicy(maxAttempts: 6, baseDelay: 1, maxDelay: 10, maxTotalTime: 1000)
        var machine = RetryStateMachine(policy: policy, idempotent: true, startedAt: 0)
        var rng = FixedFraction(fraction: fraction)
        var waits: [Double] = []
        for _ in 0..<5 {
            machine.attemptStarted()
            guard case .retry(let wait) = machine.failed(Self.status(503), now: 0, using: &rng) else {
                Issue.record("expected a retry")
                return
            }
            waits.append(wait)
        }
        for (w, e) in zip(waits, expected) { #expect(abs(w - e) < 0.001, "\(waits)") }
        machine.attemptStarted()
        #expect(machine.failed(Self.status(503), now: 0, using: &rng) == .giveUp(.attemptsExhausted))
        #expect(machine.retries == 5)
    }

    @Test func jitterStaysWithinTheCeiling() {
        let policy = RetryPolicy(maxAttempts: 50, baseDelay: 0.1, maxDelay: 3, maxTotalTime: 1e9)
        var rng = SplitMix64(seed: 7)
        var machine = RetryStateMachine(policy: policy, idempotent: true, startedAt: 0)
        var seen = Set<Int>()
        for n in 1..<50 {
            machine.attemptStarted()
            guard case .retry(let wait) = machine.failed(Self.timeout, now: 0, using: &rng) else {
                Issue.record("expected a retry")
                return
            }
            #expect(wait >= 0 && wait < policy.ceiling(forRetry: n))
            seen.insert(Int(wait * 10))
        }
        #expect(seen.count > 5, "jitter should spread waits")
    }

    @Test(arguments: [(429, 7.0), (503, 2.5), (429, 0.0)])
    func retryAfterIsALowerBoundEvenBeyondTheCap(status: Int, retryAfter: Double) {
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: 0.1, maxDelay: 1, maxTotalTime: 100)
        var machine = RetryStateMachine(policy: policy, idempotent: false, startedAt: 0)
        machine.attemptStarted()
        var rng = FixedFraction(fraction: 0.5)
        let d = machine.failed(Self.status(status, retryAfter: retryAfter), now: 0, using: &rng)
        guard case .retry(let wait) = d else {
            Issue.record("expected a retry, got \(d)")
            return
        }
        #expect(abs(wait - max(retryAfter, 0.05)) < 0.001)
    }

    @Test func totalTimeBoundsRetries() {
        let policy = RetryPolicy(maxAttempts: 100, baseDelay: 1, maxDelay: 1, maxTotalTime: 30)
        var machine = RetryStateMachine(policy: policy, idempotent: true, startedAt: 100)
        var rng = FixedFraction(fraction: 0)
        machine.attemptStarted()
        #expect(machine.failed(Self.timeout, now: 130, using: &rng) == .retry(after: 0))
        machine.attemptStarted()
        #expect(machine.failed(Self.timeout, now: 130.5, using: &rng) == .giveUp(.timeBudgetExhausted))
        // A Retry-After that ends past the budget gives up at once instead of waiting.
        var other = RetryStateMachine(policy: policy, idempotent: true, startedAt: 0)
        other.attemptStarted()
        #expect(other.failed(Self.status(429, retryAfter: 31), now: 0, using: &rng) == .giveUp(.timeBudgetExhausted))
    }

    @Test func neverPolicyMakesOneAttempt() {
        var machine = RetryStateMachine(policy: .never, idempotent: true, startedAt: 0)
        var rng = FixedFraction(fraction: 0.5)
        machine.attemptStarted()
        #expect(machine.failed(Self.status(503), now: 0, using: &rng) == .giveUp(.attemptsExhausted))
        #expect(machine.retries == 0)
    }
}
