import Reading

/// What an export reads: a memport target (`embedded:PATH`, a Mem0 HTTP API) or a self-hosted
/// Mem0 store read in place (`chroma:PATH`, `mem0-ts:PATH`, `postgres://…`).
public enum ExportSource: Sendable, CustomStringConvertible {
    /// A target, paged through its listings.
    case target(any MemoryTarget)
    /// A store, paged in its own key order.
    case store(StoreSpec)

    /// The source as the ledger and the summary name it: never with a password.
    public var description: String {
        switch self {
        case .target(let target): return target.description
        case .store(let spec): return spec.description
        }
    }
}
