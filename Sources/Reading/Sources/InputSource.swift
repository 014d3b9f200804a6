import Foundation

/// One input to read: a file path, or standard input (`-`).
public struct InputSource: Sendable, Hashable, CustomStringConvertible {
    /// The path as the user named it, or `-` for stdin.
    public var name: String

    /// Creates a source; `-` means standard input.
    public init(_ name: String) { self.name = name }

    /// `true` for standard input.
    public var isStandardInput: Bool { name == "-" }

    /// `true` for a regular file: one that can be sized, probed and read again. Standard
    /// input, pipes (`<(cmd)`), FIFOs and devices are streams: read once, never probed.
    public var isRegularFile: Bool {
        guard !isStandardInput else { return false }
        var info = stat()
        guard stat(name, &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The size on disk of a regular file; nil for a stream or a missing file.
    public var regularFileSize: Int64? {
        guard !isStandardInput else { return nil }
        var info = stat()
        guard stat(name, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    /// The name, for messages.
    public var description: String { name }

    /// The identity the import key hashes: the absolute, standardized path, or `stdin`.
    public var identity: String {
        if isStandardInput { return "stdin" }
        // A pipe (`/dev/fd/63`) resolves to a name that changes every run (`pipe:[1234]`):
        // streams keep the path they were named by.
        let standardized = URL(fileURLWithPath: name).standardizedFileURL
        guard isRegularFile else { return standardized.path }
        let url = standardized.resolvingSymlinksInPath()
        return url.path
    }

    /// The name without `.gz`, lowercased, for guessing the format from the extension.
    public var formatExtension: String {
        var base = (name as NSString).lastPathComponent.lowercased()
        if base.hasSuffix(".gz") { base = String(base.dropLast(3)) }
        return (base as NSString).pathExtension
    }
}
