import Foundation

/// The live rate limit of a server: one ``RateLimitBucket`` per API key (requests without a
/// known key share one), and the count of what it admitted and refused.
actor RateLimiter {
    /// The bucket key for requests without a known API key.
    static let anonymous = "\u{0}anonymous"

    let rate: RateLimit
    private var buckets: [String: RateLimitBucket] = [:]
    private let started = ContinuousClock.now
    private(set) var admitted = 0
    private(set) var refused = 0

    init(rate: RateLimit) { self.rate = rate }

    /// Admits or refuses one request of `key`.
    func take(key: String) -> RateLimitBucket.Decision {
        let now = Self.seconds(ContinuousClock.now - started)
        var bucket = buckets[key] ?? RateLimitBucket(rate, now: now)
        let decision = bucket.take(now: now)
        buckets[key] = bucket
        if decision.allowed { admitted += 1 } else { refused += 1 }
        return decision
    }

    private static func seconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return Double(s) + Double(atto) * 1e-18
    }
}
