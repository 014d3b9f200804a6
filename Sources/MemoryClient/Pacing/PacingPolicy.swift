/// How fast and how wide the client sends: a request rate, a concurrency ceiling, and how
/// early it slows down ahead of a server's announced limit.
public struct PacingPolicy: Sendable, Hashable {
    /// Requests per minute across the client; 0 means unpaced.
    public var requestsPerMinute: Double
    /// The burst the rate allows; nil for one second's worth.
    public var burst: Double?
    /// The most requests in flight at once; 429s halve the live limit, successes grow it back.
    public var maxConcurrency: Int
    /// The live limit never drops below this.
    public var minConcurrency: Int
    /// Slow down once `X-RateLimit-Remaining` falls to this fraction of `X-RateLimit-Limit`...
    public var slowdownThreshold: Double
    /// ... or to this many requests, whichever is larger.
    public var slowdownFloor: Int
    /// Whether a 429's `Retry-After` pauses every call of the client (the limit is the key's),
    /// or only the call that got it.
    public var sharesRetryAfter: Bool

    /// Creates a policy.
    public init(
        requestsPerMinute: Double, burst: Double? = nil, maxConcurrency: Int = 8, minConcurrency: Int = 1,
        slowdownThreshold: Double = 0.1, slowdownFloor: Int = 2, sharesRetryAfter: Bool = true
    ) {
        self.requestsPerMinute = max(0, requestsPerMinute)
        self.burst = burst
        self.maxConcurrency = max(1, maxConcurrency)
        self.minConcurrency = min(max(1, minConcurrency), self.maxConcurrency)
        self.slowdownThreshold = slowdownThreshold
        self.slowdownFloor = slowdownFloor
        self.sharesRetryAfter = sharesRetryAfter
    }

    /// The hosted platform documents 1000 adds a minute; memport stays 10 % under it.
    public static let hostedPlatform = PacingPolicy(requestsPerMinute: 900, maxConcurrency: 8)

    /// No rate limit, 8 requests at once: for `memport serve` and other local targets.
    public static let unpaced = PacingPolicy(requestsPerMinute: 0, maxConcurrency: 8)

    /// The default for a base URL: ``hostedPlatform`` for `api.mem0.ai`, ``unpaced`` otherwise.
    public static func `default`(forHost host: String?) -> PacingPolicy {
        guard let host = host?.lowercased() else { return .unpaced }
        return host == "api.mem0.ai" || host.hasSuffix(".mem0.ai") ? .hostedPlatform : .unpaced
    }
}
