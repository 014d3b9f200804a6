/// What a format yields: a record, or a reject for a piece of input that is not one.
public enum ReadItem: Sendable {
    /// A record to hand to the adapter.
    case record(SourceRecord)
    /// Input that could not become a record (too large, not UTF-8, a bad CSV row).
    case reject(ImportReject)
}
