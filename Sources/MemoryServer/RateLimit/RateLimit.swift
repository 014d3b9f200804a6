/// A request rate a server enforces: so many requests per period, written `N/s`, `N/min` or
/// `N/h` (also `N/sec`, `N/second`, `N/m`, `N/minute`, `N/hour`; a bare `N` is per minute).
///
/// ```swift
/// RateLimit(parsing: "600/min")   // 600 requests a minute, bursts of up to 600
/// ```
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
    /// Requests allowed per period, and the largest burst.
    public let limit: Int
    /// The period in seconds (1, 60 or 3600).
    public let period: Double

    /// Creates a limit of `limit` requests per `period` seconds (both at least 1).
    public init(limit: Int, period: Double) {
        self.limit = max(1, limit)
        self.period = max(1, period)
    }

    /// Parses `N/s`, `N/min`, `N/h` (and their long forms); nil for anything else or N < 1.
    public init?(parsing text: String) {
        let parts = text.lowercased().split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard let first = parts.first, let n = Int(first), n >= 1 else { return nil }
        let unit = parts.count == 2 ? parts[1] : "min"
        switch unit {
        case "s", "sec", "second": self.init(limit: n, period: 1)
        case "m", "min", "minute": self.init(limit: n, period: 60)
        case "h", "hr", "hour": self.init(limit: n, period: 3600)
        default: return nil
        }
    }

    /// Requests per second.
    public var perSecond: Double { Double(limit) / period }

    /// `600/min`.
    public var description: String {
        switch period {
        case 1: return "\(limit)/s"
        case 3600: return "\(limit)/h"
        case 60: return "\(limit)/min"
        default: return "\(limit)/\(Int(period))s"
        }
    }
}
