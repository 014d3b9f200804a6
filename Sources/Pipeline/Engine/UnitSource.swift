import Reading
/// Where the engine pulls its work from: the import reader over input files, or the stored
/// payloads of rejects being replayed.
public protocol UnitSource: AnyObject {
    /// The next event, or nil when there is no more work.
    func next() -> ImportEvent?
    /// Records read so far.
    var recordCount: Int { get }
    /// Uncompressed input bytes read so far.
    var uncompressedBytes: Int64 { get }
    /// Input bytes consumed as stored (compressed bytes for gzip), for progress against the
    /// inputs' sizes on disk.
    var sourceBytesRead: Int64 { get }
}

extension UnitSource {
    /// The uncompressed bytes, for sources that read no files.
    public var sourceBytesRead: Int64 { uncompressedBytes }
}

extension ImportReader: UnitSource {}

/// The units of rejects fed through again (`memport rejects JOB --replay`): refused units as
/// stored, and input records mapped again, with what their mapping found.
public final class ReplaySource: UnitSource {
    private var events: [ImportEvent]
    private var index = 0

    /// Creates a source over units.
    public convenience init(units: [ImportUnit]) { self.init(events: units.map(ImportEvent.unit)) }

    /// Creates a source over events.
    public init(events: [ImportEvent]) { self.events = events }

    /// The next event.
    public func next() -> ImportEvent? {
        guard index < events.count else { return nil }
        defer { index += 1 }
        return events[index]
    }

    /// Events handed out.
    public var recordCount: Int { index }

    /// No bytes are read.
    public var uncompressedBytes: Int64 { 0 }
}

/// The import reader with the input rejects a replay already resolved taken out: the record is
/// still bad in the input, but its fixed copy was imported, so it is counted as a skip
/// (`fixed_by_replay`), not a reject.
final class ResolvedRejectsFilter: UnitSource {
    private let reader: any UnitSource
    private let resolved: Set<String>

    init(_ reader: any UnitSource, resolved: Set<String>) {
        self.reader = reader
        self.resolved = resolved
    }

    func next() -> ImportEvent? {
        guard let event = reader.next() else { return nil }
        if !resolved.isEmpty, case .reject(let reject) = event,
            resolved.contains(
                LedgerReject.key(locator: reject.locator.json.jsonString(), reason: reject.reason.rawValue))
        {
            return .skipped(reason: SkipReason.fixedByReplay, count: 1)
        }
        return event
    }

    var recordCount: Int { reader.recordCount }
    var uncompressedBytes: Int64 { reader.uncompressedBytes }
    var sourceBytesRead: Int64 { reader.sourceBytesRead }
}
