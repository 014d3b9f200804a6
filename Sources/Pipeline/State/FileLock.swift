import Foundation
import Reading

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An advisory lock on a file (`flock(2)`), held through an open descriptor: the kernel
/// releases it when the descriptor is closed or the process dies, SIGKILL included, so a lock
/// is never left stale.
///
/// Not `Sendable`: one owner opens, locks and closes it.
final class FileLock {
    /// The lock file.
    let path: String
    private(set) var fd: Int32

    /// Opens (creating with mode 0600) the lock file.
    ///
    /// - Throws: `PipelineError` `.ledger` naming the file and the system's reason.
    init(path: String) throws {
        self.path = path
        fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if fd < 0 {
            throw PipelineError(.ledger, "cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close() }

    /// Takes the lock if no other descriptor holds it; `false` when another does.
    func tryLock() throws -> Bool {
        while true {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { return true }
            let code = errno
            if code == EINTR { continue }
            if code == EWOULDBLOCK { return false }
            throw PipelineError(.ledger, "cannot lock \(path): \(String(cString: strerror(code)))")
        }
    }

    /// Waits for the lock, blocking the calling thread: only for locks held a short while.
    func lock() throws {
        while flock(fd, LOCK_EX) != 0 {
            let code = errno
            if code == EINTR { continue }
            throw PipelineError(.ledger, "cannot lock \(path): \(String(cString: strerror(code)))")
        }
    }

    /// Replaces the file's content (what a lock holder says about itself).
    func write(_ text: String) {
        _ = ftruncate(fd, 0)
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    /// The file's content, read through this descriptor (the lock does not stop reads).
    func read() -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
    }

    /// Releases the lock and closes the descriptor.
    func close() {
        guard fd >= 0 else { return }
        _ = Glibc.close(fd)
        fd = -1
    }
}
