/// The job's budget for sending units again within a run after a transient failure, as a value
/// (the retry throttling of gRPC): it starts full, each resend spends a token, each unit
/// delivered earns back a fraction of one. Through scattered faults it never runs dry, so units
/// come back until they land; against a target that fails everything it is spent after
/// ``capacity`` resends, and the rest is left for a later run (exit 5) instead of every unit
/// retrying for minutes.
public struct RetryBudget: Sendable, Hashable {
    /// The most tokens (and the start).
    public let capacity: Double
    /// Tokens a delivered unit earns back.
    public let earnPerSuccess: Double
    /// Tokens left.
    public private(set) var tokens: Double
    /// Resends granted so far.
    public private(set) var spent = 0
    /// Resends refused because the budget was dry.
    public private(set) var refused = 0

    /// Creates a full budget.
    public init(capacity: Double = 100, earnPerSuccess: Double = 0.5) {
        self.capacity = max(1, capacity)
        self.earnPerSuccess = max(0, earnPerSuccess)
        tokens = self.capacity
    }

    /// Whether a resend may go; spends a token when it may.
    public mutating func spend() -> Bool {
        guard tokens >= 1 else {
            refused += 1
            return false
        }
        tokens -= 1
        spent += 1
        return true
    }

    /// A unit was delivered.
    public mutating func earn() { tokens = min(capacity, tokens + earnPerSuccess) }
}
