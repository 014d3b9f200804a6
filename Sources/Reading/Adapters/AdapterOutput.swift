/// What an adapter makes of a record: units, rejects, and counts of what it dropped on purpose.
///
/// A reject is boxed (`indirect`), so an output is no larger than a unit's reference and a skip count.
public enum AdapterOutput: Sendable, Hashable {
    /// A unit to send.
    case unit(ImportUnit)
    /// Something that cannot be imported, with its reason.
    indirect case reject(ImportReject)
    /// Messages dropped by rule (system turns, hidden or tool nodes), by reason.
    case skipped(reason: String, count: Int)
}
