/// Where the engine pulls its work from: the import reader over input files, or the stored
/// payloads of rejects being replayed.
public protocol UnitSource: AnyObject {
    /// The next event, or nil when there is no more work.
    func next() -> ImportEvent?
    /// Records read so far.
    var recordCount: Int { get }
    /// Uncompressed input bytes read so far.
    var uncompressedBytes: Int64 { get }
    /// Bytes of the input as stored (compressed for gzip) consumed so far, for progress.
    var storedBytes: Int64 { get }
}

extension UnitSource {
    /// The uncompressed bytes, for sources that do not know better.
    public var storedBytes: Int64 { uncompressedBytes }
}

extension ImportReader: UnitSource {}

/// The units of rejects fed through again (`memport rejects JOB --replay`).
public final class ReplaySource: UnitSource {
    private var units: [ImportUnit]
    private var index = 0

    /// Creates a source over units.
    public init(units: [ImportUnit]) { self.units = units }

    /// The next unit.
    public func next() -> ImportEvent? {
        guard index < units.count else { return nil }
        defer { index += 1 }
        return .unit(units[index])
    }

    /// Units handed out.
    public var recordCount: Int { index }

    /// No bytes are read.
    public var uncompressedBytes: Int64 { 0 }
}
