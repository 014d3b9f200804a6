import Foundation
import Reading

/// Where a migration reads, parsed once: a target (`embedded:PATH`, an `http(s)://` URL) or a
/// self-hosted Mem0 store read in place (`chroma:PATH`, `mem0-ts:PATH`, `postgres://…`).
///
/// ```swift
/// let hosted = try SourceSpec("https://api.mem0.ai")                // .target(.http(…))
/// let chroma = try SourceSpec("chroma:./db", collection: "memories") // .store(…)
/// ```
///
/// The parse is syntax only: a store's file is found, and its server reached, when it is opened.
public enum SourceSpec: Sendable, Hashable, CustomStringConvertible {
    /// A memport target: the embedded store or a Mem0 HTTP API, paged as an export is.
    case target(TargetSpec)
    /// A self-hosted Mem0 store, read in place.
    case store(StoreSpec)

    /// Parses a source.
    ///
    /// - Parameter collection: the `--collection` flag, for a store that names none.
    /// - Throws: `PipelineError` `.usage` naming what is wrong.
    public init(_ text: String, collection: String? = nil) throws {
        if let store = try StoreSpec.parse(text, collection: collection) {
            self = .store(store)
        } else {
            do {
                self = .target(try TargetSpec(text))
            } catch {
                // `mem0` says which variable is wrong; any other text is not a source at all.
                if text == TargetSpec.mem0 { throw error }
                throw PipelineError(
                    .usage,
                    "a source is embedded:PATH, an http(s):// URL, chroma:PATH, mem0-ts:PATH or a postgresql:// URL, "
                        + "got '\(TargetRedaction.scrubbing(text))'")
            }
        }
    }

    /// The canonical form, never with a password.
    public var description: String {
        switch self {
        case .target(let target): return target.displayName
        case .store(let store): return store.description
        }
    }
}
