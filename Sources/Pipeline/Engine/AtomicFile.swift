import Foundation
import Reading

/// Writes files under a temporary name, mode 0600, and renames them when complete
/// (DESIGN invariant 5), so a reader never sees half a file.
public enum AtomicFile {
    /// Writes `data` to `path` atomically with mode 0600.
    ///
    /// - Throws: `PipelineError` `.output` naming the path.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        guard FileManager.default.createFile(atPath: temp.path, contents: data, attributes: [.posixPermissions: 0o600])
        else { throw PipelineError(.output, "cannot write \(temp.path)") }
        // rename(2) replaces the destination atomically, whether it exists or not.
        if rename(temp.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temp)
            throw PipelineError(.output, "cannot write \(path): \(reason)")
        }
    }
}
