import Foundation

/// A fresh directory under the system temp dir, removed by ``remove()`` or at the end of
/// ``with(_:)``.
///
/// ```swift
/// try await TemporaryDirectory.with { dir in let db = dir.path("memport.db") ... }
/// ```
public struct TemporaryDirectory: Sendable {
    /// The directory's URL.
    public let url: URL

    /// Creates the directory.
    public init(prefix: String = "memport-test") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path inside the directory.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Deletes the directory and everything in it.
    public func remove() { try? FileManager.default.removeItem(at: url) }

    /// Runs `body` with a fresh directory, then deletes it.
    public static func with<T>(_ body: (TemporaryDirectory) async throws -> T) async throws -> T {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        return try await body(dir)
    }
}
