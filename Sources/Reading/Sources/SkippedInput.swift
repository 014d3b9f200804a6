/// An input a directory walk or glob left out, and why: a symbolic link to a directory, a
/// folder that cannot be listed, or something that is not a regular file (a FIFO, a socket).
public struct SkippedInput: Sendable, Hashable, CustomStringConvertible {
    /// The path as found.
    public var path: String
    /// Why it was left out.
    public var reason: String

    /// Creates a note.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `skipped PATH: REASON`.
    public var description: String { "skipped \(path): \(reason)" }
}
