/// What an adapter makes of a record: units, rejects, and counts of what it dropped on purpose.
public enum AdapterOutput: Sendable, Hashable {
    /// A unit to send.
    case unit(ImportUnit)
    /// Something that cannot be imported, with its reason.
    case reject(ImportReject)
    /// Messages dropped by rule (system turns, hidden or tool nodes), by reason.
    case skipped(reason: String, count: Int)
}
