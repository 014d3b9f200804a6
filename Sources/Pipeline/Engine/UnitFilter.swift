import Reading
/// A unit source that passes another's events through a transform: a unit mapped to nil is
/// dropped, other events pass unchanged. Restore's upsert mode uses it to split one backup
/// into updates of memories the target holds and adds of the rest.
public final class UnitFilter: UnitSource {
    private let base: any UnitSource
    private let transform: (ImportUnit) -> ImportUnit?

    /// Wraps `base`.
    public init(_ base: any UnitSource, transform: @escaping (ImportUnit) -> ImportUnit?) {
        self.base = base
        self.transform = transform
    }

    /// The next event that survives the transform.
    public func next() -> ImportEvent? {
        while let event = base.next() {
            guard case .unit(let unit) = event else { return event }
            if let mapped = transform(unit) { return .unit(mapped) }
        }
        return nil
    }

    /// The base's records.
    public var recordCount: Int { base.recordCount }

    /// The base's bytes.
    public var uncompressedBytes: Int64 { base.uncompressedBytes }

    /// The base's bytes as stored.
    public var sourceBytesRead: Int64 { base.sourceBytesRead }
}
