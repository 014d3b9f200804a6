/// What a running server has done to its clients: requests refused by the rate limit and faults
/// injected. `GET /_memport/stats` answers with it, and `memport serve` prints it at shutdown.
public struct ServerStatistics: Sendable, Hashable, Codable {
    /// The rate limit enforced per API key (`600/min`), or nil.
    public var rateLimit: String?
    /// Requests the rate limit admitted.
    public var rateLimitAdmitted: Int
    /// Requests the rate limit refused with 429.
    public var rateLimited: Int
    /// Injected 503 answers.
    public var faultsUnavailable: Int
    /// Injected dropped connections.
    public var faultsDropped: Int

    /// Creates counts.
    public init(
        rateLimit: String? = nil, rateLimitAdmitted: Int = 0, rateLimited: Int = 0, faultsUnavailable: Int = 0,
        faultsDropped: Int = 0
    ) {
        self.rateLimit = rateLimit
        self.rateLimitAdmitted = rateLimitAdmitted
        self.rateLimited = rateLimited
        self.faultsUnavailable = faultsUnavailable
        self.faultsDropped = faultsDropped
    }

    enum CodingKeys: String, CodingKey {
        case rateLimit = "rate_limit"
        case rateLimitAdmitted = "rate_limit_admitted"
        case rateLimited = "rate_limited"
        case faultsUnavailable = "faults_unavailable"
        case faultsDropped = "faults_dropped"
    }

    /// One line for the operator: `rate limit 600/min: 1200 admitted, 37 refused (429); faults: ...`.
    public var summary: String {
        var parts: [String] = []
        if let rateLimit {
            parts.append("rate limit \(rateLimit): \(rateLimitAdmitted) admitted, \(rateLimited) refused (429)")
        }
        if faultsUnavailable + faultsDropped > 0 {
            parts.append("faults injected: \(faultsUnavailable) 503, \(faultsDropped) dropped connections")
        }
        return parts.isEmpty ? "no requests refused, no faults injected" : parts.joined(separator: "; ")
    }
}
