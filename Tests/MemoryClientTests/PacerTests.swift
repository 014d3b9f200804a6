import Testing

@testable import MemoryClient

struct PacerTests {
    @Test func spacesRequestsByTheRate() async throws {
        let clock = TestClock(now: 0)
        let pacer = Pacer(policy: PacingPolicy(requestsPerMinute: 60, burst: 2, maxConcurrency: 4), clock: clock)
        for _ in 0..<5 {
            let p = try await pacer.acquire()
            pacer.release(p, signal: .success, rateLimit: nil)
        }
        // Two from the burst, then each waits for the next token; the test clock moves with the waits.
        #expect(clock.sleeps == [1, 1, 1])
    }

    @Test func concurrencyLimitQueuesAndHalvesOn429() async throws {
        let clock = TestClock(now: 0)
        let pacer = Pacer(policy: PacingPolicy(requestsPerMinute: 0, maxConcurrency: 4), clock: clock)
        var permits: [AIMDLimiter.Permit] = []
        for _ in 0..<4 { permits.append(try await pacer.acquire()) }
        #expect(pacer.inFlight == 4)
        let waiter = Task { try await pacer.acquire() }
        try await Task.sleep(for: .milliseconds(20))
        #expect(pacer.inFlight == 4)
        pacer.release(permits[0], signal: .rateLimited, rateLimit: nil)
        // The limit is now 2 with 3 in flight: the waiter stays queued.
        #expect(pacer.concurrencyLimit == 2)
        pacer.release(permits[1], signal: .neutral, rateLimit: nil)
        pacer.release(permits[2], signal: .neutral, rateLimit: nil)
        let p = try await waiter.value
        #expect(pacer.inFlight == 2)
        pacer.release(p, signal: .success, rateLimit: nil)
        pacer.release(permits[3], signal: .success, rateLimit: nil)
        #expect(pacer.inFlight == 0)
    }

    @Test func retryAfterOnA429PausesEveryone() async throws {
        let clock = TestClock(now: 0)
        let pacer = Pacer(policy: .unpaced, clock: clock)
        let p = try await pacer.acquire()
        pacer.release(p, signal: .rateLimited, rateLimit: RateLimitHeaders(retryAfter: 5))
        _ = try await pacer.acquire()
        #expect(clock.sleeps == [5])
        // Unless the policy keeps a Retry-After to the call that got it.
        let solo = Pacer(policy: PacingPolicy(requestsPerMinute: 0, sharesRetryAfter: false), clock: clock)
        let q = try await solo.acquire()
        solo.release(q, signal: .rateLimited, rateLimit: RateLimitHeaders(retryAfter: 5))
        _ = try await solo.acquire()
        #expect(clock.sleeps == [5])
    }

    @Test func remainingHeadersSlowDownAFixedRateBeforeTheLimit() async throws {
        let clock = TestClock(now: 0)
        let pacer = Pacer(policy: PacingPolicy(requestsPerMinute: 0), clock: clock)
        let p = try await pacer.acquire()
        pacer.release(
            p, signal: .success, rateLimit: RateLimitHeaders(limit: 100, remaining: 3, resetIn: 8))
        _ = try await pacer.acquire()
        #expect(clock.sleeps == [2])
    }

    @Test func cancelledWaiterLeavesTheQueue() async throws {
        let pacer = Pacer(policy: PacingPolicy(requestsPerMinute: 0, maxConcurrency: 1), clock: TestClock())
        let held = try await pacer.acquire()
        let waiter = Task { try await pacer.acquire() }
        try await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        pacer.release(held, signal: .success, rateLimit: nil)
        #expect(pacer.inFlight == 0)
        _ = try await pacer.acquire()
        #expect(pacer.inFlight == 1)
    }

    @Test func aLearningPacerPausesOncePerSignalAndKeepsItsWindow() async throws {
        let clock = TestClock(now: 0)
        let pacer = Pacer(
            policy: PacingPolicy(requestsPerMinute: 0, maxConcurrency: 4, learnsLimit: true), clock: clock)
        var permits: [AIMDLimiter.Permit] = []
        for _ in 0..<4 { permits.append(try await pacer.acquire()) }
        // Four requests in flight all come back 429 with Retry-After 3: one signal.
        for p in permits {
            pacer.release(p, signal: .rateLimited, rateLimit: RateLimitHeaders(retryAfter: 3), sentAt: 0)
        }
        #expect(pacer.concurrencyLimit == 4, "a 429 is about rate, not about the window")
        #expect(pacer.learned?.signals == 1)
        _ = try await pacer.acquire()
        #expect(clock.sleeps == [3])
        // Transient faults change nothing.
        let q = try await pacer.acquire()
        pacer.release(q, signal: .neutral, rateLimit: nil, status: 503)
        #expect(pacer.concurrencyLimit == 4)
    }

    @Test func hostedPlatformDefaultStaysUnderTheDocumentedAddLimit() {
        #expect(PacingPolicy.default(forHost: "api.mem0.ai").requestsPerMinute < 1000)
        #expect(PacingPolicy.default(forHost: "api.mem0.ai").requestsPerMinute > 0)
        #expect(PacingPolicy.default(forHost: "127.0.0.1").requestsPerMinute == 0)
        #expect(PacingPolicy.default(forHost: "api.mem0.ai").learnsLimit)
        #expect(PacingPolicy.default(forHost: "api.mem0.ai").documentedLimit == 1000)
    }
}
