/// What an adapter makes of a record: units, rejects, and counts of what it dropped on purpose.
public enum AdapterOutput: Sendable, Hashable {
    /// A unit to send.
    case unit(ImportUnit)
    /// Something that cannot be imported, with its reason.
    case reject(ImportReject)
    /// Messages dropped by rule (system turns, hidden or tool nodes), by reason.
    case skipped(reason: String, count: Int)
}

/// An adapter: maps records of one source into units, in a deterministic order.
public protocol RecordAdapter {
    /// Maps one record, appending what it yields.
    mutating func map(_ record: SourceRecord, into output: inout [AdapterOutput])
    /// Flushes anything held back (a generic group still open) at the end of the source.
    mutating func finish(into output: inout [AdapterOutput])
}

extension RecordAdapter {
    /// Nothing is held back by default.
    public mutating func finish(into output: inout [AdapterOutput]) {}
}
