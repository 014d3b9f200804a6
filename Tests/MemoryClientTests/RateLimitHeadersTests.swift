import Testing

@testable import MemoryClient

struct RateLimitHeadersTests {
    static func read(_ headers: [String: String], wallNow: Double = 1_700_000_000) -> RateLimitHeaders {
        let lower = Dictionary(uniqueKeysWithValues: headers.map { ($0.key.lowercased(), $0.value) })
        return RateLimitHeaders(lookup: { lower[$0.lowercased()] }, wallNow: wallNow)
    }

    @Test func readsAllHeaders() {
        let h = Self.read([
            "retry-after": "3", "x-ratelimit-limit": "1000", "x-ratelimit-remaining": "42", "x-ratelimit-reset": "30",
        ])
        #expect(h == RateLimitHeaders(retryAfter: 3, limit: 1000, remaining: 42, resetIn: 30))
    }

    @Test func resetAsUnixTime() {
        let h = Self.read(["X-RateLimit-Reset": "1700000012"], wallNow: 1_700_000_000)
        #expect(h.resetIn == 12)
    }

    @Test func garbageIsIgnored() {
        #expect(Self.read(["X-RateLimit-Remaining": "lots", "Retry-After": "later"]).isEmpty)
    }

    struct Case: Sendable {
        var limit: Int?
        var remaining: Int?
        var resetIn: Double?
        var expected: Double?
    }

    @Test(arguments: [
        Case(limit: 1000, remaining: 500, resetIn: 30, expected: nil),  // plenty left
        Case(limit: 1000, remaining: 101, resetIn: 30, expected: nil),  // just above 10 %
        Case(limit: 1000, remaining: 99, resetIn: 30, expected: 0.3),  // spread 99 over 30 s
        Case(limit: 1000, remaining: 0, resetIn: 12, expected: 12),  // exhausted: wait for the reset
        Case(limit: nil, remaining: 1, resetIn: 4, expected: 2),  // below the floor of 2
        Case(limit: nil, remaining: 5, resetIn: 4, expected: nil),
        Case(limit: 1000, remaining: 0, resetIn: nil, expected: nil),  // no reset: nothing to plan by
        Case(limit: 1000, remaining: 0, resetIn: 0, expected: nil),
    ])
    func slowsDownBeforeTheLimit(_ c: Case) {
        let h = RateLimitHeaders(limit: c.limit, remaining: c.remaining, resetIn: c.resetIn)
        #expect(h.slowdown(threshold: 0.1, floor: 2) == c.expected)
    }
}
