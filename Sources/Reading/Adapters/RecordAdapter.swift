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
