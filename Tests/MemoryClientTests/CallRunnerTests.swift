import Foundation
import Logging
import MemoryAPI
import Testing

@testable import MemoryClient

/// Plays back a script of outcomes, one per attempt.
///
/// `@unchecked Sendable` because its state is guarded by `lock` on every access.
final class Script: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [MemoryAPIError?]
    private(set) var calls = 0

    init(_ outcomes: [MemoryAPIError?]) { self.outcomes = outcomes }

    func next() throws -> String {
        let outcome: MemoryAPIError?? = lock.withLock {
            calls += 1
            return outcomes.isEmpty ? nil : outcomes.removeFirst()
        }
        if case .some(.some(let error)) = outcome { throw error }
        return "ok"
    }
}

struct CallRunnerTests {
    static func runner(_ clock: TestClock, policy: RetryPolicy = .standard) -> CallRunner {
        CallRunner(
            policy: policy, pacing: .unpaced, clock: clock, random: .seeded(1),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    static func status(_ s: Int, retryAfter: Double? = nil, applied: Bool = false) -> MemoryAPIError {
        var e = MemoryAPIError.fromResponse(status: s, body: Data(#"{"detail":"nope"}"#.utf8), retryAfter: retryAfter)
        e.mayHaveBeenApplied = applied
        return e
    }

    @Test func retriesTransientFailuresAndReportsThem() async throws {
        let clock = TestClock()
        let runner = Self.runner(clock)
        let script = Script([Self.status(503), Self.status(429, retryAfter: 4), MemoryAPIError(.timeout, "t"), nil])
        let report = try await runner.run("get", idempotent: true) { _ in try script.next() }
        #expect(report.value == "ok")
        #expect(report.attempts == 4)
        #expect(report.retries == 3)
        #expect(clock.sleeps.count >= 3)
        #expect(clock.sleeps.contains { $0 >= 4 })
        let counts = runner.counts
        #expect(counts.calls == 1 && counts.attempts == 4 && counts.retries == 3 && counts.rateLimited == 1)
        #expect(counts.failures == 0)
    }

    @Test func ambiguousAddGoesBackToTheCallerAtOnce() async throws {
        let clock = TestClock()
        let runner = Self.runner(clock)
        let script = Script([MemoryAPIError(.connection, "dropped", mayHaveBeenApplied: true), nil])
        await #expect {
            _ = try await runner.run("add", idempotent: false) { _ in try script.next() }
        } throws: { error in
            (error as? MemoryAPIError)?.mayHaveBeenApplied == true
        }
        #expect(script.calls == 1)
        #expect(runner.counts.ambiguousFailures == 1)
    }

    @Test func addIsRetriedWhenTheServerRefusedIt() async throws {
        let runner = Self.runner(TestClock())
        let script = Script([Self.status(429), Self.status(503), nil])
        let report = try await runner.run("add", idempotent: false) { _ in try script.next() }
        #expect(report.retries == 2)
    }

    @Test func permanentFailureIsNotRetried() async throws {
        let runner = Self.runner(TestClock())
        let script = Script([Self.status(401), nil])
        await #expect(throws: MemoryAPIError.self) {
            _ = try await runner.run("get", idempotent: true) { _ in try script.next() }
        }
        #expect(script.calls == 1)
    }

    @Test func givesUpAfterMaxAttemptsAndSaysSo() async throws {
        let runner = Self.runner(TestClock(), policy: RetryPolicy(maxAttempts: 3))
        let script = Script(Array(repeating: Self.status(502), count: 10))
        do {
            _ = try await runner.run("get", idempotent: true) { _ in try script.next() }
            Issue.record("expected a failure")
        } catch let e as MemoryAPIError {
            #expect(e.status == 502)
            #expect(e.message.contains("after 3 attempts"))
        }
        #expect(script.calls == 3)
    }

    @Test func otherErrorsPassThroughUntouched() async throws {
        struct Boom: Error {}
        let runner = Self.runner(TestClock())
        await #expect(throws: Boom.self) {
            _ = try await runner.run("x", idempotent: true) { _ in throw Boom() }
        }
        #expect(runner.counts.failures == 1)
    }

    @Test func seededJitterIsReproducible() async throws {
        func waits() async throws -> [Double] {
            let clock = TestClock()
            let runner = Self.runner(clock)
            let script = Script([Self.status(503), Self.status(503), Self.status(503), nil])
            _ = try await runner.run("get", idempotent: true) { _ in try script.next() }
            return clock.sleeps
        }
        let a = try await waits()
        let b = try await waits()
        #expect(a == b)
        #expect(a.count == 3)
    }
}
