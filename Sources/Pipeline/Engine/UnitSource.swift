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
