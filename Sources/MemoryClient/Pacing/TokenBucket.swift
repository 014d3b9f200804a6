/// A token bucket in requests per minute, as a value: each request reserves a token and is
/// told how long to wait for it.
///
/// Tokens refill continuously at `ratePerMinute / 60` per second up to `capacity` (the burst).
/// A reservation may drive the balance below zero; the deficit is the queue of requests
/// already promised a later slot, so concurrent callers are spaced out fairly.
/// A rate of 0 means unpaced: every reservation is free.
public struct TokenBucket: Sendable, Hashable {
    /// Requests per minute; 0 means unpaced.
    public private(set) var ratePerMinute: Double
    /// The most tokens the bucket holds (the burst size).
    public private(set) var capacity: Double
    private let fixedBurst: Double?
    /// The balance after the last update; negative while requests wait for tokens.
    public private(set) var tokens: Double
    /// When the balance was last brought up to date, on the caller's clock.
    public private(set) var updatedAt: Double

    /// Creates a full bucket; `burst` defaults to one second's worth of requests, at least 1.
    public init(ratePerMinute: Double, burst: Double? = nil, now: Double) {
        self.ratePerMinute = max(0, ratePerMinute)
        self.capacity = max(1, burst ?? (self.ratePerMinute / 60))
        self.fixedBurst = burst
        self.tokens = capacity
        self.updatedAt = now
    }

    /// `true` when the bucket never makes anyone wait.
    public var isUnpaced: Bool { ratePerMinute == 0 }

    /// Takes a token and returns the seconds to wait before using it (0 when one was there).
    public mutating func reserve(now: Double) -> Double {
        guard !isUnpaced else { return 0 }
        refill(now: now)
        tokens -= 1
        if tokens >= 0 { return 0 }
        return -tokens / perSecond
    }

    /// Changes the rate from `now` on, keeping the balance (and the queue of promised slots);
    /// a burst that was not fixed at creation follows the rate (one second's worth).
    public mutating func setRate(perMinute: Double, now: Double) {
        let wasUnpaced = isUnpaced
        refill(now: now)
        ratePerMinute = max(0, perMinute)
        capacity = max(1, fixedBurst ?? (ratePerMinute / 60))
        tokens = wasUnpaced ? capacity : min(tokens, capacity)
    }

    /// The balance at `now` without taking anything.
    public func available(now: Double) -> Double {
        guard !isUnpaced else { return .infinity }
        var copy = self
        copy.refill(now: now)
        return copy.tokens
    }

    private var perSecond: Double { ratePerMinute / 60 }

    private mutating func refill(now: Double) {
        let elapsed = max(0, now - updatedAt)
        tokens = min(capacity, tokens + elapsed * perSecond)
        updatedAt = max(updatedAt, now)
    }
}
