import Logging
import MemoryAPI

/// The result of a call with what it cost: the value, the attempts made and the retries.
public struct CallReport<Value: Sendable>: Sendable {
    /// What the call returned.
    public var value: Value
    /// Requests sent, the first included.
    public var attempts: Int
    /// Attempts after the first.
    public var retries: Int { max(0, attempts - 1) }
}

/// One attempt's outcome as the runner needs it: the value, plus what the server said about its
/// rate limit.
struct Attempt<Value: Sendable>: Sendable {
    var value: Value
    var rateLimit: RateLimitHeaders?
}

/// A failed attempt with the rate-limit headers of its answer.
struct AttemptFailure: Error {
    var error: MemoryAPIError
    var rateLimit: RateLimitHeaders?
}

/// Runs a call under the retry policy and the pacing of a client: each attempt waits for the
/// ``Pacer``, failures go through a ``RetryStateMachine``, and the waits use the injected clock.
///
/// Use it around any operation — a client call, or several, or your own — to get the same
/// retries, pacing and counting:
///
/// ```swift
/// let report = try await client.runner.run("lookup", idempotent: true) { _ in
///     try await client.findByImportKey(key, scope: scope)
/// }
/// print(report.retries)
/// ```
///
/// An operation that throws a `MemoryAPIError` is retried as the policy says; any other error
/// ends the call at once. A call that is not idempotent is retried only when the error says the
/// request was not applied; otherwise the error goes back to the caller, whose ledger decides.
public struct CallRunner: Sendable {
    /// The retry policy.
    public let policy: RetryPolicy
    /// The shared pacing.
    public let pacer: Pacer
    /// The clock for waits.
    public let clock: any MemoryClock
    /// The jitter source.
    public let random: RandomSource
    let statistics: StatisticsBox
    let logger: Logger

    /// Creates a runner (a client makes its own; see ``MemoryClient/runner``).
    public init(
        policy: RetryPolicy, pacing: PacingPolicy, clock: any MemoryClock, random: RandomSource, logger: Logger
    ) {
        self.init(
            policy: policy, pacer: Pacer(policy: pacing, clock: clock), clock: clock, random: random,
            statistics: StatisticsBox(), logger: logger)
    }

    init(
        policy: RetryPolicy, pacer: Pacer, clock: any MemoryClock, random: RandomSource, statistics: StatisticsBox,
        logger: Logger
    ) {
        self.policy = policy
        self.pacer = pacer
        self.clock = clock
        self.random = random
        self.statistics = statistics
        self.logger = logger
    }

    /// Counts so far, across every call of this runner.
    public var counts: ClientStatistics { statistics.snapshot }

    /// Runs `operation` (given the 1-based attempt number) until it succeeds or the policy gives up.
    public func run<T: Sendable>(
        _ name: String, idempotent: Bool, _ operation: @Sendable @escaping (Int) async throws -> T
    ) async throws -> CallReport<T> {
        try await runAttempts(name, idempotent: idempotent) { attempt in
            Attempt(value: try await operation(attempt), rateLimit: nil)
        }
    }

    func runAttempts<T: Sendable>(
        _ name: String, idempotent: Bool, _ operation: @Sendable @escaping (Int) async throws -> Attempt<T>
    ) async throws -> CallReport<T> {
        var callNumber: UInt64 = 0
        statistics.update {
            $0.calls += 1
            callNumber = UInt64($0.calls)
        }
        var rng = random.generator(call: callNumber)
        var machine = RetryStateMachine(policy: policy, idempotent: idempotent, startedAt: clock.now())
        while true {
            machine.attemptStarted()
            let attempt = machine.attempts
            statistics.update {
                $0.attempts += 1
                if attempt > 1 { $0.retries += 1 }
            }
            let failure: AttemptFailure
            do {
                let result = try await pacer.withPermit {
                    do {
                        let result = try await operation(attempt)
                        return (Result<Attempt<T>, AttemptFailure>.success(result), .success, result.rateLimit)
                    } catch let f as AttemptFailure {
                        return (.failure(f), f.error.status == 429 ? .rateLimited : .neutral, f.rateLimit)
                    } catch let e as MemoryAPIError {
                        return (.failure(AttemptFailure(error: e)), e.status == 429 ? .rateLimited : .neutral, nil)
                    }
                }
                switch result {
                case .success(let value): return CallReport(value: value.value, attempts: attempt)
                case .failure(let f): failure = f
                }
            } catch {
                statistics.update { $0.failures += 1 }
                throw error
            }
            let error = failure.error
            if error.status == 429 { statistics.update { $0.rateLimited += 1 } }
            let decision = machine.failed(error, now: clock.now(), using: &rng)
            switch decision {
            case .retry(let wait):
                logger.debug(
                    "retrying",
                    metadata: [
                        "call": "\(name)", "attempt": "\(attempt)", "code": "\(error.code)",
                        "status": "\(error.status.map(String.init) ?? "-")", "wait_s": "\(rounded(wait))",
                    ])
                try await clock.sleep(seconds: wait)
            case .giveUp(let reason):
                statistics.update {
                    $0.failures += 1
                    if reason == .ambiguous { $0.ambiguousFailures += 1 }
                }
                logger.debug(
                    "giving up",
                    metadata: [
                        "call": "\(name)", "attempts": "\(attempt)", "code": "\(error.code)",
                        "reason": "\(reason.rawValue)",
                    ])
                var final = error
                if attempt > 1 { final.message += " (after \(attempt) attempts)" }
                throw final
            }
        }
    }

    private func rounded(_ seconds: Double) -> String {
        // A server's Retry-After can be any number: only a sane one goes through Int.
        guard seconds.isFinite, abs(seconds) < 1e12 else { return String(seconds) }
        return String(Double(Int(seconds * 1000)) / 1000)
    }
}
