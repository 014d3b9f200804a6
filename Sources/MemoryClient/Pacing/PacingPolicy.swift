/// How fast and how wide the client sends: a request rate (fixed, or learned from the target),
/// a concurrency ceiling, and how early it slows down ahead of a server's announced limit.
public struct PacingPolicy: Sendable, Hashable {
    /// Requests per minute across the client; 0 means unpaced. With ``learnsLimit`` it is
    /// where the learning starts.
    public var requestsPerMinute: Double
    /// The burst the rate allows; nil for one second's worth.
    public var burst: Double?
    /// The most requests in flight at once.
    public var maxConcurrency: Int
    /// The live limit never drops below this.
    public var minConcurrency: Int
    /// Slow down once `X-RateLimit-Remaining` falls to this fraction of `X-RateLimit-Limit`...
    /// (a fixed rate only; a learning pacer reads the headers itself).
    public var slowdownThreshold: Double
    /// ... or to this many requests, whichever is larger.
    public var slowdownFloor: Int
    /// Whether a 429's `Retry-After` pauses every call of the client (the limit is the key's),
    /// or only the call that got it.
    public var sharesRetryAfter: Bool
    /// Whether the rate follows the target (``RateLearner``: `X-RateLimit-*` headers, else 429s),
    /// starting at ``requestsPerMinute``; false holds ``requestsPerMinute`` fixed, and then a
    /// 429 halves the concurrency window (``AIMDLimiter``).
    public var learnsLimit: Bool
    /// A limit the target documents, in requests a minute: a learning pacer takes it as its
    /// estimate until it measures one (probing above it gently).
    public var documentedLimit: Double?

    /// Creates a policy.
    public init(
        requestsPerMinute: Double, burst: Double? = nil, maxConcurrency: Int = 8, minConcurrency: Int = 1,
        slowdownThreshold: Double = 0.1, slowdownFloor: Int = 2, sharesRetryAfter: Bool = true,
        learnsLimit: Bool = false
    ) {
        self.requestsPerMinute = max(0, requestsPerMinute)
        self.burst = burst
        self.maxConcurrency = max(1, maxConcurrency)
        self.minConcurrency = min(max(1, minConcurrency), self.maxConcurrency)
        self.slowdownThreshold = slowdownThreshold
        self.slowdownFloor = slowdownFloor
        self.sharesRetryAfter = sharesRetryAfter
        self.learnsLimit = learnsLimit
    }

    /// The hosted platform documents 1000 adds a minute: memport starts at 950 (never above the
    /// documented limit) and learns from there, down on 429s, up where a plan allows more.
    public static let hostedPlatform: PacingPolicy = {
        var policy = PacingPolicy(requestsPerMinute: 950, maxConcurrency: 8, learnsLimit: true)
        policy.documentedLimit = 1000
        return policy
    }()

    /// No rate until the target shows one (rate-limit headers or a 429), 8 requests at once:
    /// for `memport serve` and other local targets.
    public static let unpaced = PacingPolicy(requestsPerMinute: 0, maxConcurrency: 8, learnsLimit: true)

    /// The default for a base URL: ``hostedPlatform`` for `api.mem0.ai`, ``unpaced`` otherwise.
    public static func `default`(forHost host: String?) -> PacingPolicy {
        guard let host = host?.lowercased() else { return .unpaced }
        return host == "api.mem0.ai" || host.hasSuffix(".mem0.ai") ? .hostedPlatform : .unpaced
    }
}
