import Foundation

/// What a response said about the rate limit: `Retry-After` and `X-RateLimit-Limit`,
/// `-Remaining` and `-Reset` (contract §8.3).
public struct RateLimitHeaders: Sendable, Hashable {
    /// Seconds the server asked us to wait before the next request.
    public var retryAfter: Double?
    /// Requests allowed per window.
    public var limit: Int?
    /// Requests left in the current window.
    public var remaining: Int?
    /// Seconds until the window resets.
    public var resetIn: Double?

    /// Creates a reading.
    public init(retryAfter: Double? = nil, limit: Int? = nil, remaining: Int? = nil, resetIn: Double? = nil) {
        self.retryAfter = retryAfter
        self.limit = limit
        self.remaining = remaining
        self.resetIn = resetIn
    }

    /// Reads the headers; `lookup` returns a header's first value by case-insensitive name.
    ///
    /// `X-RateLimit-Reset` is taken as seconds from now, or as a Unix time when it is larger
    /// than 10⁹ (both conventions exist).
    public init(lookup: (String) -> String?, wallNow: Double) {
        func number(_ name: String) -> Double? {
            guard let raw = lookup(name)?.trimmingCharacters(in: .whitespaces), let d = Double(raw), d.isFinite
            else { return nil }
            return d
        }
        self.init()
        if let raw = lookup("Retry-After") {
            retryAfter = RetryAfter.seconds(from: raw, now: .init(timeIntervalSince1970: wallNow))
        }
        limit = number("X-RateLimit-Limit").map { Int(max(0, $0)) }
        remaining = number("X-RateLimit-Remaining").map { Int(max(0, $0)) }
        if let reset = number("X-RateLimit-Reset") {
            resetIn = max(0, reset > 1e9 ? reset - wallNow : reset)
        }
    }

    /// `true` when nothing was read.
    public var isEmpty: Bool { retryAfter == nil && limit == nil && remaining == nil && resetIn == nil }

    /// How long to hold back the next request so the window is not exhausted, or nil to go on.
    ///
    /// Nothing happens while more than `threshold` of the window (or at least `floor` requests)
    /// is left. Below that the remaining requests are spread evenly over the time to the reset;
    /// with none left the whole reset time is waited.
    public func slowdown(threshold: Double, floor: Int) -> Double? {
        guard let remaining, let resetIn, resetIn > 0 else { return nil }
        let low = max(Double(floor), Double(limit ?? 0) * threshold)
        guard Double(remaining) <= low else { return nil }
        if remaining == 0 { return resetIn }
        return resetIn / Double(remaining + 1)
    }
}
