import Foundation
import OSSStores

/// One input to read: a file path, standard input (`-`), or a self-hosted Mem0 store.
public struct InputSource: Sendable, Hashable, CustomStringConvertible {
    /// The path as the user named it, or `-` for stdin; a store's canonical, password-free spec.
    public var name: String
    /// The store, when the source is one (`chroma:`, `mem0-ts:`, `postgres://`).
    public var store: StoreSpec?

    /// Creates a source; `-` means standard input.
    public init(_ name: String) { self.name = name }

    /// Creates a store source.
    public init(store: StoreSpec) {
        self.name = store.description
        self.store = store
    }

    /// `true` for standard input.
    public var isStandardInput: Bool { name == "-" }

    /// The name, for messages.
    public var description: String { name }

    /// The identity the import key hashes: the absolute, standardized path, or `stdin`.
    public var identity: String {
        if let store { return store.identity }
        if isStandardInput { return "stdin" }
        let url = URL(fileURLWithPath: name).standardizedFileURL.resolvingSymlinksInPath()
        return url.path
    }

    /// The name without `.gz`, lowercased, for guessing the format from the extension.
    var formatExtension: String {
        var base = (name as NSString).lastPathComponent.lowercased()
        if base.hasSuffix(".gz") { base = String(base.dropLast(3)) }
        return (base as NSString).pathExtension
    }
}
