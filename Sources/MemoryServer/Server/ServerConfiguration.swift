/// How a ``MemoryServer`` listens and behaves.
public struct ServerConfiguration: Sendable {
    /// The address to bind, `127.0.0.1` by default.
    public var host: String
    /// The port; 0 picks a free one.
    public var port: Int
    /// The keys the server accepts, each with its project.
    public var keys: [APIKey]
    /// The rate limit per API key (requests without a known key share one bucket); nil for none.
    public var rateLimit: RateLimit?
    /// The share of requests answered with an injected transient fault (503 or a dropped
    /// connection; 0 for none).
    public var faultRate: Double
    /// The seed of the fault sequence.
    public var faultSeed: UInt64
    /// A delay before every answer, standing in for a remote platform.
    public var latency: Duration
    /// The largest request body accepted; larger ones get 413.
    public var maxBodyBytes: Int

    /// The default body limit: 10 MiB.
    public static let defaultMaxBodyBytes = 10 * 1024 * 1024

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1", port: Int = 0, keys: [APIKey], faultRate: Double = 0, faultSeed: UInt64 = 1,
        latency: Duration = .zero, maxBodyBytes: Int = defaultMaxBodyBytes, rateLimit: RateLimit? = nil
    ) {
        self.rateLimit = rateLimit
        self.host = host
        self.port = port
        self.keys = keys
        self.faultRate = faultRate
        self.faultSeed = faultSeed
        self.latency = latency
        self.maxBodyBytes = maxBodyBytes
    }
}
