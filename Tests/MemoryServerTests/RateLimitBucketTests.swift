import Testing

@testable import MemoryServer

/// The server's bucket per API key as a value on an injected clock.
struct RateLimitBucketTests {
    @Test func parsesRates() {
        #expect(RateLimit(parsing: "600/min") == RateLimit(limit: 600, period: 60))
        #expect(RateLimit(parsing: "10/s") == RateLimit(limit: 10, period: 1))
        #expect(RateLimit(parsing: "5000/h") == RateLimit(limit: 5000, period: 3600))
        #expect(RateLimit(parsing: "120") == RateLimit(limit: 120, period: 60))
        #expect(RateLimit(parsing: "7 / minute")?.description == "7/min")
        for bad in ["", "0/min", "-3/s", "ten/min", "10/day", "10/"] { #expect(RateLimit(parsing: bad) == nil) }
    }

    @Test func admitsABurstThenRefusesWithRetryAfter() {
        var bucket = RateLimitBucket(RateLimit(limit: 3, period: 60), now: 0)
        let first = bucket.take(now: 0)
        #expect(
            first.allowed && first.limit == 3 && first.remaining == 2 && first.resetIn == 20 && first.retryAfter == nil)
        #expect(bucket.take(now: 0).remaining == 1)
        #expect(bucket.take(now: 0).remaining == 0)
        let refused = bucket.take(now: 1)
        // 1/20 of a token came back in 1 s: 19 s more for a whole one.
        #expect(!refused.allowed && refused.remaining == 0 && refused.retryAfter == 19 && refused.resetIn == 59)
        // A refusal takes nothing: at 20 s the token is there.
        #expect(bucket.take(now: 20).allowed)
    }

    @Test func refillsAtTheRateAndNeverAboveTheLimit() {
        var bucket = RateLimitBucket(RateLimit(limit: 10, period: 1), now: 0)
        for _ in 0..<10 { #expect(bucket.take(now: 0).allowed) }
        #expect(!bucket.take(now: 0).allowed)
        #expect(bucket.take(now: 0.5).remaining == 4)
        let later = bucket.take(now: 100)
        #expect(later.allowed && later.remaining == 9 && later.resetIn == 1)
    }

    @Test func headersAreTheContractsNames() {
        var bucket = RateLimitBucket(RateLimit(limit: 1, period: 1), now: 0)
        _ = bucket.take(now: 0)
        let names = bucket.take(now: 0).headers.map(\.name)
        #expect(names == ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After"])
        // Integer seconds only: the SDK reads Retry-After with int().
        #expect(bucket.take(now: 0.1).headers.allSatisfy { Int($0.value) != nil })
    }

    @Test func heldRateOverALongRunIsTheLimit() {
        // A client twice as fast as 600/min for 10 minutes gets the burst plus the refill.
        var bucket = RateLimitBucket(RateLimit(limit: 600, period: 60), now: 0)
        var admitted = 0
        var t = 0.0
        while t < 600 {
            if bucket.take(now: t).allowed { admitted += 1 }
            t += 0.05
        }
        #expect(admitted == 600 + 6000 || admitted == 600 + 5999)
    }
}
