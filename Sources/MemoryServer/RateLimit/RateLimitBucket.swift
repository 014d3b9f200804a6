/// The server's token bucket for one API key, as a value with the clock passed in.
///
/// It holds up to ``RateLimit/limit`` tokens and refills continuously at `limit / period` a
/// second. Each admitted request takes one token; a request that finds less than one is refused
/// and takes nothing. Every answer carries the headers a client paces by
/// (``Decision/headers``): `X-RateLimit-Limit` (the bucket's size), `-Remaining` (whole tokens
/// left) and `-Reset` (whole seconds until the bucket is full again), plus `Retry-After` (whole
/// seconds until a token is there, at least 1) on a refusal.
///
/// ```swift
/// var bucket = RateLimitBucket(RateLimit(limit: 2, period: 60), now: 0)
/// bucket.take(now: 0).allowed   // true, remaining 1
/// bucket.take(now: 0).allowed   // true, remaining 0
/// bucket.take(now: 1).allowed   // false, retryAfter 29
/// ```
public struct RateLimitBucket: Sendable, Hashable {
    /// What one request got.
    public struct Decision: Sendable, Hashable {
        /// Whether the request may go on.
        public var allowed: Bool
        /// `X-RateLimit-Limit`.
        public var limit: Int
        /// `X-RateLimit-Remaining`: whole tokens left after this request.
        public var remaining: Int
        /// `X-RateLimit-Reset`: whole seconds until the bucket is full.
        public var resetIn: Int
        /// `Retry-After` on a refusal: whole seconds until a token is there (at least 1).
        public var retryAfter: Int?

        /// The response headers, by name.
        public var headers: [(name: String, value: String)] {
            var fields: [(name: String, value: String)] = [
                ("X-RateLimit-Limit", String(limit)), ("X-RateLimit-Remaining", String(remaining)),
                ("X-RateLimit-Reset", String(resetIn)),
            ]
            if let retryAfter { fields.append(("Retry-After", String(retryAfter))) }
            return fields
        }
    }

    /// The limit it enforces.
    public let rate: RateLimit
    /// Tokens after the last update (0 ... limit).
    public private(set) var tokens: Double
    /// When the tokens were last brought up to date, on the caller's clock.
    public private(set) var updatedAt: Double

    /// A full bucket.
    public init(_ rate: RateLimit, now: Double) {
        self.rate = rate
        self.tokens = Double(rate.limit)
        self.updatedAt = now
    }

    /// Admits or refuses one request at `now`.
    public mutating func take(now: Double) -> Decision {
        refill(now: now)
        let allowed = tokens >= 1
        if allowed { tokens -= 1 }
        let missing = Double(rate.limit) - tokens
        let resetIn = Int((missing / rate.perSecond).rounded(.up))
        var retryAfter: Int?
        if !allowed { retryAfter = max(1, Int(((1 - tokens) / rate.perSecond).rounded(.up))) }
        return Decision(
            allowed: allowed, limit: rate.limit, remaining: Int(tokens.rounded(.down)), resetIn: max(0, resetIn),
            retryAfter: retryAfter)
    }

    private mutating func refill(now: Double) {
        let elapsed = max(0, now - updatedAt)
        tokens = min(Double(rate.limit), tokens + elapsed * rate.perSecond)
        updatedAt = max(updatedAt, now)
    }
}
