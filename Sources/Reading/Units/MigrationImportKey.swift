import MemoryAPI

/// The idempotency key of Mem0's official OSS-to-Platform migration script
/// (`scripts/oss-to-platform-migrate.sh`): `sha256("<sdk>:<vector_store>:<collection>:<id>")` in
/// hex, each part `unknown` when the artifact does not say. The script writes it into every
/// memory it imports as `metadata.mem0_migration_import_key` and skips a record whose key the
/// target already holds; memport writes the same key, so each tool skips what the other imported.
public struct MigrationImportKey: Sendable, Hashable {
    /// The artifact's `source.sdk` (`python`).
    public var sdk: String
    /// The artifact's `source.vector_store` (`qdrant`).
    public var vectorStore: String
    /// The artifact's `source.collection` (`mem0`).
    public var collection: String

    /// The metadata key the script writes.
    public static let field = "mem0_migration_import_key"
    /// The metadata key naming the record's origin (`python_oss_qdrant`).
    public static let sourceField = "mem0_migration_source"
    /// The metadata key naming the collection.
    public static let collectionField = "mem0_migration_collection"
    /// The metadata key naming the record's id in the OSS store.
    public static let localIDField = "mem0_migration_local_id"
    /// The metadata key naming the record's content hash in the OSS store.
    public static let localHashField = "mem0_migration_local_hash"

    /// Parts for an artifact whose `source` names none (a bare array of records).
    public static let unknown = MigrationImportKey(sdk: nil, vectorStore: nil, collection: nil)

    /// Creates the key's parts; a missing or empty part is `unknown`, as in the script.
    public init(sdk: String?, vectorStore: String?, collection: String?) {
        func part(_ s: String?) -> String { s.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown" }
        self.sdk = part(sdk)
        self.vectorStore = part(vectorStore)
        self.collection = part(collection)
    }

    /// The parts for a record replayed from a review file, which does not repeat the artifact's
    /// `source`: the record's own `source` (`<sdk>_oss_<store>`) and the script's default
    /// collection `mem0`.
    public init(recordSource: String?) {
        let text = recordSource ?? ""
        if let range = text.range(of: "_oss_") {
            self.init(
                sdk: String(text[..<range.lowerBound]), vectorStore: String(text[range.upperBound...]),
                collection: "mem0")
        } else {
            self.init(sdk: nil, vectorStore: nil, collection: nil)
        }
    }

    /// The key of the record with this id, as 64 lowercase hex digits.
    public func key(recordID: String) -> String {
        SHA256.hex("\(sdk):\(vectorStore):\(collection):\(recordID)")
    }
}
