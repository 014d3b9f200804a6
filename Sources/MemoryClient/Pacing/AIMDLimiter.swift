/// A concurrency limit that adapts to the server, as a value: additive increase,
/// multiplicative decrease.
///
/// A 429 halves the limit (never below `minLimit`); a full window of successes (as many as
/// the current limit) raises it by one, up to `maxLimit`. Requests that were already in flight
/// when the limit was cut carry the old epoch, so a burst of 429s from one window halves the
/// limit once, not once per request.
public struct AIMDLimiter: Sendable, Hashable {
    /// A slot handed to one request; give it back with ``release(_:_:)``.
    public struct Permit: Sendable, Hashable {
        /// The limiter's epoch when the slot was taken.
        public let epoch: Int
    }

    /// What a finished request says about the server's capacity.
    public enum Signal: Sendable, Hashable {
        /// It succeeded.
        case success
        /// The server said 429.
        case rateLimited
        /// It failed for another reason, which says nothing about capacity.
        case neutral
    }

    /// The floor of the limit.
    public let minLimit: Int
    /// The ceiling of the limit.
    public let maxLimit: Int
    /// Requests allowed at once right now.
    public private(set) var limit: Int
    /// Requests holding a slot.
    public private(set) var inFlight = 0
    /// Bumped at every decrease.
    public private(set) var epoch = 0
    /// Successes since the limit last changed.
    public private(set) var successesSinceChange = 0

    /// Creates a limiter starting at `maxLimit` (or `initial`).
    public init(maxLimit: Int, minLimit: Int = 1, initial: Int? = nil) {
        self.maxLimit = max(1, maxLimit)
        self.minLimit = min(max(1, minLimit), self.maxLimit)
        self.limit = min(self.maxLimit, max(self.minLimit, initial ?? self.maxLimit))
    }

    /// Takes a slot when one is free.
    public mutating func tryAcquire() -> Permit? {
        guard inFlight < limit else { return nil }
        inFlight += 1
        return Permit(epoch: epoch)
    }

    /// Gives a slot back and adapts the limit to what the request saw.
    public mutating func release(_ permit: Permit, _ signal: Signal) {
        inFlight = max(0, inFlight - 1)
        switch signal {
        case .neutral:
            break
        case .success:
            successesSinceChange += 1
            if successesSinceChange >= limit && limit < maxLimit {
                limit += 1
                successesSinceChange = 0
            }
        case .rateLimited:
            guard permit.epoch == epoch else { return }
            limit = max(minLimit, limit / 2)
            epoch += 1
            successesSinceChange = 0
        }
    }
}
