import Testing

@testable import MemoryClient

struct AIMDLimiterTests {
    @Test func admitsUpToTheLimit() {
        var l = AIMDLimiter(maxLimit: 3)
        let permits = (0..<5).compactMap { _ in l.tryAcquire() }
        #expect(permits.count == 3)
        #expect(l.inFlight == 3)
        l.release(permits[0], .neutral)
        #expect(l.tryAcquire() != nil)
    }

    @Test func halvesOnRateLimitOncePerEpoch() {
        var l = AIMDLimiter(maxLimit: 16)
        let permits = (0..<16).compactMap { _ in l.tryAcquire() }
        // Every in-flight request comes back 429: the limit halves once.
        for p in permits { l.release(p, .rateLimited) }
        #expect(l.limit == 8)
        #expect(l.epoch == 1)
        // A 429 from the new epoch halves again.
        let p = l.tryAcquire()!
        l.release(p, .rateLimited)
        #expect(l.limit == 4)
    }

    @Test(arguments: [(32, 1, [16, 8, 4, 2, 1, 1]), (10, 3, [5, 3, 3]), (1, 1, [1, 1])])
    func neverDropsBelowTheFloor(max: Int, min: Int, expected: [Int]) {
        var l = AIMDLimiter(maxLimit: max, minLimit: min)
        var seen: [Int] = []
        for _ in expected {
            let p = l.tryAcquire()!
            l.release(p, .rateLimited)
            seen.append(l.limit)
        }
        #expect(seen == expected)
    }

    @Test func growsBackOneStepPerWindowOfSuccesses() {
        var l = AIMDLimiter(maxLimit: 8, initial: 2)
        var history: [Int] = []
        for _ in 0..<40 {
            let p = l.tryAcquire()!
            l.release(p, .success)
            history.append(l.limit)
        }
        // 2 successes → 3, 3 more → 4, 4 more → 5, ... up to 8 and no further.
        #expect(history[1] == 3)
        #expect(history[4] == 4)
        #expect(history[8] == 5)
        #expect(history.last == 8)
        #expect(Set(zip(history, history.dropFirst()).map { $1 - $0 }).isSubset(of: [0, 1]))
    }

    @Test func neutralFailuresChangeNothing() {
        var l = AIMDLimiter(maxLimit: 4, initial: 2)
        for _ in 0..<10 {
            let p = l.tryAcquire()!
            l.release(p, .neutral)
        }
        #expect(l.limit == 2)
        #expect(l.successesSinceChange == 0)
    }

    @Test func staleSuccessAfterCutCountsTowardsGrowth() {
        var l = AIMDLimiter(maxLimit: 4)
        let a = l.tryAcquire()!
        let b = l.tryAcquire()!
        l.release(a, .rateLimited)
        #expect(l.limit == 2)
        l.release(b, .success)
        #expect(l.limit == 2)
        #expect(l.inFlight == 0)
    }
}
