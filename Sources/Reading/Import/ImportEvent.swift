/// What the import reader yields, in input order.
///
/// The rare cases are boxed (`indirect`), so an event is no larger than a unit's reference and
/// a skip count, and moving one through the queues copies a few words.
public enum ImportEvent: Sendable, Hashable {
    /// A source was opened and its format and preset detected.
    indirect case detected(SourceReport)
    /// A unit to send.
    case unit(ImportUnit)
    /// Something that cannot be imported.
    indirect case reject(ImportReject)
    /// Messages dropped by rule, by reason.
    case skipped(reason: String, count: Int)
    /// A source that could not be opened or read at all.
    indirect case sourceFailed(ReadingError)
}
