/// What the import reader yields, in input order.
public enum ImportEvent: Sendable, Hashable {
    /// A source was opened and its format and preset detected.
    case detected(SourceReport)
    /// A unit to send.
    case unit(ImportUnit)
    /// Something that cannot be imported.
    case reject(ImportReject)
    /// Messages dropped by rule, by reason.
    case skipped(reason: String, count: Int)
    /// A source that could not be opened or read at all.
    case sourceFailed(ReadingError)
}
