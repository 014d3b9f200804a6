import Foundation

/// One input to read: a file path, or standard input (`-`).
public struct InputSource: Sendable, Hashable, CustomStringConvertible {
    /// The path as the user named it, or `-` for stdin.
    public var name: String

    /// Creates a source; `-` means standard input.
    public init(_ name: String) { self.name = name }

    /// `true` for standard input.
    public var isStandardInput: Bool { name == "-" }

    /// The name, for messages.
    public var description: String { name }

    /// The identity the import key hashes: the absolute, standardized path, or `stdin`.
    public var identity: String {
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
