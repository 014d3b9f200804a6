/// Decides, request by request, whether to answer with an injected fault: a pure value with
/// its own seeded random source, so a run with the same seed injects the same faults in the
/// same order.
///
/// Faults are transient failures only (a 503, a dropped connection). A 429 is a statement
/// about rate, not a fault: it comes from the rate limit (`serve --rate-limit`, ``RateLimitBucket``).
///
/// ```swift
/// var plan = FaultPlan(rate: 0.2, seed: 7)
/// plan.next()   // .none, .unavailable or .dropConnection
/// ```
public struct FaultPlan: Sendable, Hashable {
    /// What to do with one request.
    public enum Action: Sendable, Hashable {
        /// Serve it.
        case none
        /// 503.
        case unavailable
        /// Close the connection without an answer.
        case dropConnection
    }

    /// The share of requests that get a fault, 0...1.
    public let rate: Double
    private var state: UInt64

    /// Creates a plan; `rate` is clamped to 0...1.
    public init(rate: Double, seed: UInt64) {
        self.rate = min(1, max(0, rate))
        self.state = seed
    }

    /// The next random 64 bits (SplitMix64).
    mutating func nextRandom() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in 0..<1.
    mutating func nextUnit() -> Double { Double(nextRandom() >> 11) / Double(1 << 53) }

    /// The action for the next request: with probability `rate` a fault, split evenly between
    /// 503 and a dropped connection.
    public mutating func next() -> Action {
        guard rate > 0, nextUnit() < rate else { return .none }
        return nextRandom() % 2 == 0 ? .unavailable : .dropConnection
    }
}
