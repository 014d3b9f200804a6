import Testing

@testable import MemoryClient

struct TokenBucketTests {
    @Test func burstThenEvenSpacing() {
        // 60/min = 1/s, burst 3: three free, then one a second.
        var b = TokenBucket(ratePerMinute: 60, burst: 3, now: 0)
        let waits = (0..<6).map { _ in b.reserve(now: 0) }
        #expect(waits == [0, 0, 0, 1, 2, 3])
    }

    @Test func refillsOverTimeUpToCapacity() {
        var b = TokenBucket(ratePerMinute: 120, burst: 2, now: 0)
        #expect(b.reserve(now: 0) == 0)
        #expect(b.reserve(now: 0) == 0)
        #expect(b.reserve(now: 0) == 0.5)  // deficit of one at 2/s
        #expect(b.available(now: 0.5) == 0)
        #expect(b.available(now: 100) == 2)  // never above the burst
        #expect(b.reserve(now: 100) == 0)
    }

    @Test(arguments: [0.0, -5.0])
    func zeroRateIsUnpaced(rate: Double) {
        var b = TokenBucket(ratePerMinute: rate, now: 0)
        #expect(b.isUnpaced)
        #expect((0..<10_000).allSatisfy { _ in b.reserve(now: 0) == 0 })
    }

    @Test func defaultBurstIsOneSecondOfRequests() {
        #expect(TokenBucket(ratePerMinute: 900, now: 0).capacity == 15)
        #expect(TokenBucket(ratePerMinute: 10, now: 0).capacity == 1)
    }

    @Test(arguments: [60.0, 600.0, 900.0, 1000.0])
    func sustainedRateNeverExceedsTheLimit(rate: Double) {
        // Reserve 5 minutes' worth of requests at once and check every 60 s window.
        var b = TokenBucket(ratePerMinute: rate, now: 0)
        let n = Int(rate * 5)
        let sendTimes = (0..<n).map { _ in b.reserve(now: 0) }
        for start in stride(from: 0.0, to: 240, by: 7.5) {
            let inWindow = sendTimes.filter { $0 >= start && $0 < start + 60 }.count
            #expect(Double(inWindow) <= rate + b.capacity, "window at \(start): \(inWindow)")
        }
        #expect(abs(sendTimes.last! - (Double(n) - b.capacity) * 60 / rate) < 1e-6)
    }

    @Test func clockGoingBackwardsDoesNotMintTokens() {
        var b = TokenBucket(ratePerMinute: 60, burst: 1, now: 10)
        #expect(b.reserve(now: 10) == 0)
        #expect(b.reserve(now: 5) == 1)
    }
}
