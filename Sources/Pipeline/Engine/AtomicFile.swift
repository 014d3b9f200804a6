import Foundation
import Reading

/// Writes files under a temporary name, mode 0600, and renames them when complete
/// (DESIGN invariant 5), so a reader never sees half a file.
public enum AtomicFile {
    /// Writes `data` to `path` atomically with mode 0600.
    ///
    /// - Throws: `PipelineError` `.output` naming the path.
    /// A path that names a stream (see ``isStream(_:)``) is written through instead: renaming
    /// over `/dev/null` would replace the device with a regular file.
    public static func write(_ data: Data, to path: String) throws {
        if isStream(path) {
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw PipelineError(.output, "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            defer { try? handle.close() }
            do {
                try handle.write(contentsOf: data)
            } catch {
                throw PipelineError(.output, "cannot write \(path): \(error.localizedDescription)")
            }
            return
        }
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

    /// True when `path` exists and is written through rather than replaced: a character device
    /// (`/dev/null`, a terminal), a FIFO or a socket, `/dev/stdout` included (symlinks followed).
    public static func isStream(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let type = info.st_mode & S_IFMT
        return type != S_IFREG && type != S_IFDIR
    }
}
