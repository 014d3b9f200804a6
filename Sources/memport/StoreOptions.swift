import ArgumentParser
import Reading

/// The flag of every command that reads a self-hosted Mem0 store (`chroma:PATH`, `mem0-ts:PATH`,
/// `postgres://…`): which collection or table holds the memories.
struct StoreOptions: ParsableArguments {
    @Option(
        help: """
            The Chroma collection or PostgreSQL table of a self-hosted Mem0 store source, when the \
            source names none (chroma:PATH?collection=NAME, postgresql://…?table=NAME). Default mem0; \
            the self-hosted Mem0 server uses memories.
            """)
    var collection: String?

    /// The argument with the collection named, when it is a store that names none.
    func naming(_ argument: String) -> String { StoreSources.naming(collection: collection, in: argument) }
}
