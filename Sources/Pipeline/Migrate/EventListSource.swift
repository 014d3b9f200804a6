/// A unit source over events already in memory: one batch of a migration.
public final class EventListSource: UnitSource {
    private var events: [ImportEvent]
    private var index = 0
    private let records: Int

    /// Creates a source over `events`, which came from `records` memories.
    public init(events: [ImportEvent], records: Int) {
        self.events = events
        self.records = records
    }

    /// The next event.
    public func next() -> ImportEvent? {
        guard index < events.count else { return nil }
        defer { index += 1 }
        return events[index]
    }

    /// The memories the batch came from.
    public var recordCount: Int { records }

    /// No bytes are read.
    public var uncompressedBytes: Int64 { 0 }
}
