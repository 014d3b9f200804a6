/// Reads a store's points in a stable order, one bounded batch at a time (keyset pagination on
/// the point id or row id), so memory stays flat however large the store is. Blocking: call it
/// off the cooperative pool or from a reader that already blocks on files.
public protocol StoreReader: AnyObject {
    /// The store being read.
    var spec: StoreSpec { get }
    /// The next batch of points (never empty), or nil at the end.
    ///
    /// - Throws: `ReadingError` when the store cannot be read further; points yielded before stay valid.
    func next() throws -> [StorePoint]?
    /// Where the reader stands after the last batch `next()` gave: opening the store `from` it
    /// continues with the next point.
    var position: StorePosition { get }
    /// Releases the file or connection; reading after it is an error.
    func close()
}

/// Opens the reader for a store spec.
public enum StoreReaders {
    /// Points per batch unless a caller says otherwise.
    public static let defaultBatchSize = 1000

    /// Opens and probes a store: the file or server is reached and its layout checked, so a
    /// store that cannot be read fails here with a clear error, before anything is imported.
    ///
    /// - Throws: `ReadingError` (`.inputNotFound`, `.unreadable`, `.unknownStoreLayout`, `.missingCollection`,
    ///   `.storeConnection`, `.storeQuery`).
    ///
    /// - Parameter position: where an earlier reader of the same store stopped (its `position`);
    ///   the reader continues after it. The start of the store unless given.
    public static func open(
        _ spec: StoreSpec, batchSize: Int = defaultBatchSize, from position: StorePosition = .start
    ) throws -> any StoreReader {
        switch spec.kind {
        case .chroma: return try ChromaReader(spec: spec, batchSize: batchSize, from: position)
        case .typescript: return try TypeScriptStoreReader(spec: spec, batchSize: batchSize, from: position)
        case .postgres: return try PostgresReader(spec: spec, batchSize: batchSize, from: position)
        }
    }
}
