/// Where a unit stands in the ledger (DESIGN invariant 1).
///
/// `pending → in_flight → submitted → confirmed`, or `rejected` / `skipped_existing`.
public enum UnitState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Read, not yet sent (or sent and failed in a way a later run retries).
    case pending
    /// Sent or about to be sent; the answer is not recorded yet.
    case inFlight = "in_flight"
    /// Accepted by the target as a queued job; confirmed once the job succeeds.
    case submitted
    /// Applied; the memory ids are recorded.
    case confirmed
    /// Refused for good (bad data); a line in the rejects file says why.
    case rejected
    /// Already on the target under the same import key; nothing was sent.
    case skippedExisting = "skipped_existing"

    /// `true` for states a run never leaves: confirmed, rejected, skipped_existing.
    public var isFinal: Bool {
        self == .confirmed || self == .rejected || self == .skippedExisting
    }
}
