import Foundation
import MemoryAPI

/// Self-hosted Mem0 stores wherever a source is accepted: the spec forms, the `--collection` flag,
/// and each store's memories as the OSS read path returns them.
public enum StoreSources {
    /// Whether an argument names a store (`chroma:`, `mem0-ts:`, `postgres://`, `postgresql://`).
    public static func isStore(_ argument: String) -> Bool { StoreSpec.isStore(argument) }

    /// The argument with the collection named, when it is a store argument that names none; other
    /// arguments unchanged. This is how `--collection` reaches a pipeline's sources.
    public static func naming(collection: String?, in argument: String) -> String {
        guard let collection, isStore(argument) else { return argument }
        if argument.hasPrefix("postgres") {
            if argument.contains("table=") || argument.contains("collection=") { return argument }
            return argument + (argument.contains("?") ? "&" : "?") + "table=" + collection
        }
        if argument.hasPrefix("mem0-ts:") || argument.contains("?collection=") { return argument }
        return argument + "?collection=" + collection
    }

    /// Parses a store argument; nil when it names no store.
    ///
    /// - Throws: `ReadingError` (`.usage`, `.inputNotFound`) for a malformed spec or a missing file.
    public static func spec(_ argument: String, collection: String? = nil) throws -> StoreSpec? {
        try StoreSpec.parse(argument, collection: collection)
    }

    /// Opens a store and probes it.
    ///
    /// - Throws: `ReadingError` (`.inputNotFound`, `.unreadable`, `.unknownStoreLayout`,
    ///   `.missingCollection`, `.storeConnection`, `.storeQuery`) naming what is wrong.
    ///
    /// - Parameter position: where an earlier reader of the store stopped; the start unless given.
    public static func open(
        _ spec: StoreSpec, batchSize: Int = StoreReaders.defaultBatchSize, from position: StorePosition = .start
    ) throws -> any StoreReader {
        try StoreReaders.open(spec, batchSize: batchSize, from: position)
    }

    /// A point as a memory, or the located reason it is not one.
    public static func memory(of point: StorePoint, spec: StoreSpec) -> Result<Memory, ReadingError> {
        do {
            let payload = try point.payload.get()
            return .success(try OSSPayload.memory(id: point.id, payload: payload, origin: spec))
        } catch let error as ReadingError {
            return .failure(error)
        } catch {
            return .failure(ReadingError(.badPayload, "\(error)"))
        }
    }

    /// The fingerprint a store source records in the ledger: its identity (a store has no size or head bytes).
    static func fingerprint(_ spec: StoreSpec) -> SourceFingerprint {
        SourceFingerprint(identity: spec.identity, size: nil, modified: nil, headHash: "")
    }

    /// The builder of a store's units: the `mem0` adapter, keyed by store, collection and point id
    /// (the locator names no line or position), so import and migrate make the same keys.
    static func builder(_ spec: StoreSpec, options: AdapterOptions) -> UnitBuilder {
        var options = options
        options.mem0Mode = .add
        return UnitBuilder(adapter: ImportPreset.mem0.rawValue, source: fingerprint(spec), options: options)
    }
}
