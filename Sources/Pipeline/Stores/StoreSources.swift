import Foundation
import MemoryAPI
import OSSStores

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

    /// Parses a store argument.
    ///
    /// - Throws: `PipelineError` (`.usage`, `.inputNotFound`) for a malformed spec or a missing file.
    public static func spec(_ argument: String, collection: String? = nil) throws -> StoreSpec? {
        do {
            return try StoreSpec.parse(argument, collection: collection)
        } catch let error as StoreError {
            throw PipelineError(error)
        }
    }

    /// Opens a store and probes it.
    ///
    /// - Throws: `PipelineError` `.unreadable` (or `.inputNotFound`) naming what is wrong.
    public static func open(_ spec: StoreSpec, batchSize: Int = StoreReaders.defaultBatchSize) throws
        -> any StoreReader
    {
        do {
            return try StoreReaders.open(spec, batchSize: batchSize)
        } catch let error as StoreError {
            throw PipelineError(error)
        }
    }

    /// Every memory of the store, in point order, in batches; a point that is not a memory comes
    /// as a `PipelineError` located at its point id.
    ///
    /// - Throws: `PipelineError` when the store cannot be opened or read further, or what `body` throws.
    public static func forEach(
        _ spec: StoreSpec, batchSize: Int = StoreReaders.defaultBatchSize,
        _ body: ([Result<Memory, PipelineError>]) throws -> Void
    ) throws {
        let reader = try open(spec, batchSize: batchSize)
        defer { reader.close() }
        while true {
            let points: [StorePoint]
            do {
                guard let next = try reader.next() else { return }
                points = next
            } catch let error as StoreError {
                throw PipelineError(error)
            }
            try body(points.map { memory(of: $0, spec: spec) })
        }
    }

    /// A point as a memory, or the located reason it is not one.
    static func memory(of point: StorePoint, spec: StoreSpec) -> Result<Memory, PipelineError> {
        do {
            let payload = try point.payload.get()
            return .success(try OSSPayload.memory(id: point.id, payload: payload, origin: spec))
        } catch let error as StoreError {
            var located = PipelineError(error)
            located.locator = RecordLocator(file: spec.description).with(conversation: point.id)
            return .failure(located)
        } catch {
            return .failure(PipelineError(.badPayload, "\(error)"))
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

extension StoreSources {
    /// The job `memport migrate --from STORE --to TARGET` runs: an import of the store with the
    /// `mem0` mapping, so its keys (store, collection, point id) are the same as `memport import
    /// STORE`'s, and re-running after an interruption sends nothing twice.
    public static func migrationSpec(from store: String, to target: String, chunkSize: Int, concurrency: Int)
        -> PipelineSpec
    {
        PipelineSpec(
            sources: [store], preset: .mem0, operation: .add, target: target, chunkSize: chunkSize,
            concurrency: concurrency)
    }
}
