import Foundation
import MemoryAPI
import Reading

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Streams memories into one export file, or to standard output.
///
/// A file is written under `.<name>.partial` (mode 0600) and renamed to its name only when
/// complete. `checkpoint()` writes everything buffered (for gzip, ending the current gzip
/// member, so the file cut at that offset is valid gzip), then fsyncs, and only then answers
/// the offset: an offset it answers is on the disk. A resumed run cuts the partial file back to
/// the last offset the ledger recorded, so bytes written after it are dropped and written again.
///
/// Any failed write or sync (ENOSPC, EIO, EFBIG after a short write) poisons the writer: it
/// throws on every later call and never answers another offset, so no checkpoint can cover
/// bytes that did not reach the disk.
final class ExportFileWriter {
    /// The final path (`-` for standard output).
    let path: String
    /// The temporary path (the path itself for standard output).
    let partialPath: String
    /// Memories in the file so far.
    private(set) var count: Int
    /// The first write or sync error; once set, the writer refuses all work.
    private(set) var failure: PipelineError?
    /// True when writing to standard output (nothing to sync, truncate or rename).
    let isStandardOutput: Bool
    private let format: ExportFormat
    private let deflater: GzipDeflater?
    private let fd: Int32
    private var offset: Int64
    private var buffer: [UInt8] = []

    /// The temporary name of `path`.
    static func partialPath(of path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial").path
    }

    /// Starts the file, or resumes it at a checkpoint.
    ///
    /// - Parameter resume: the offset and count of the last checkpoint of this file, if any.
    /// - Throws: `PipelineError` `.output` naming the path, and how to start over when the
    ///   partial file no longer holds the checkpoint's bytes.
    init(path: String, format: ExportFormat, gzip: Bool, resume: (offset: Int64, count: Int)?) throws {
        self.path = path
        self.partialPath = Self.partialPath(of: path)
        self.format = format
        isStandardOutput = false
        deflater = gzip ? GzipDeflater() : nil
        // A crash after a finished file was renamed but before the next checkpoint leaves the
        // checkpoint pointing into a file that is no longer partial: take it back and go on
        // from the checkpoint (the pages after it are written again, the trailer too).
        if let resume, access(partialPath, F_OK) != 0, access(path, F_OK) == 0 {
            var info = stat()
            if stat(path, &info) == 0, Int64(info.st_size) >= resume.offset {
                _ = rename(path, partialPath)
            }
        }
        if let resume, access(partialPath, F_OK) != 0 {
            throw PipelineError(
                .output,
                "cannot resume the export: \(partialPath), which the checkpoint continues at byte \(resume.offset), "
                    + "is gone; run the same command with --restart to start the export over")
        }
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (resume == nil ? O_TRUNC : 0)
        fd = open(partialPath, flags, 0o600)
        guard fd >= 0 else {
            throw PipelineError(.output, "cannot write \(partialPath): \(Self.describe(errno))")
        }
        fchmod(fd, 0o600)
        if let resume {
            let size = lseek(fd, 0, SEEK_END)
            guard size >= resume.offset else {
                close(fd)
                throw PipelineError(
                    .output,
                    "cannot resume \(partialPath): it holds \(max(size, 0)) bytes, the checkpoint needs "
                        + "\(resume.offset); run the same command with --restart to start the export over")
            }
            guard ftruncate(fd, off_t(resume.offset)) == 0, fsync(fd) == 0,
                lseek(fd, off_t(resume.offset), SEEK_SET) == resume.offset
            else {
                let reason = Self.describe(errno)
                close(fd)
                throw PipelineError(.output, "cannot cut \(partialPath) back to byte \(resume.offset): \(reason)")
            }
            offset = resume.offset
            count = resume.count
        } else {
            offset = 0
            count = 0
            buffer = format.header
        }
    }

    /// Writes to standard output (`-`) or through a stream path such as `/dev/null` or a FIFO:
    /// nothing is resumed, synced or renamed.
    ///
    /// - Throws: `PipelineError` `.output` when the stream cannot be opened.
    init(stream path: String, format: ExportFormat, gzip: Bool) throws {
        self.path = path
        partialPath = path == "-" ? "standard output" : path
        self.format = format
        isStandardOutput = true
        deflater = gzip ? GzipDeflater() : nil
        if path == "-" {
            fd = STDOUT_FILENO
        } else {
            fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else {
                throw PipelineError(.output, "cannot open \(path): \(Self.describe(errno))")
            }
        }
        offset = 0
        count = 0
        buffer = format.header
    }

    deinit {
        if path != "-" { close(fd) }
    }

    /// Appends one memory.
    func write(_ memory: Memory) throws {
        if let failure { throw failure }
        buffer += format.encode(memory, first: count == 0)
        count += 1
        if buffer.count >= 1 << 20 { try flush(endMember: false) }
    }

    /// Writes everything buffered and syncs it; returns the offset a resumed run starts from.
    ///
    /// - Throws: `PipelineError` `.output` naming the file and the cause; the writer is then unusable.
    func checkpoint() throws -> Int64 {
        if let failure { throw failure }
        try flush(endMember: true)
        if !isStandardOutput && fsync(fd) != 0 {
            // After a failed fsync the kernel may have dropped the dirty pages: nothing since the
            // last checkpoint can be trusted.
            throw fail("cannot sync \(partialPath): \(Self.describe(errno))")
        }
        return offset
    }

    /// Writes the trailer, syncs and renames the file to its name.
    func finish() throws {
        if let failure { throw failure }
        buffer += format.trailer
        _ = try checkpoint()
        guard !isStandardOutput else { return }
        if rename(partialPath, path) != 0 {
            throw fail("cannot rename \(partialPath) to \(path): \(Self.describe(errno))")
        }
    }

    private func flush(endMember: Bool) throws {
        var bytes = buffer
        buffer.removeAll(keepingCapacity: true)
        if let deflater {
            do {
                bytes = try deflater.compress(bytes)
                if endMember { bytes += try deflater.finish() }
            } catch let error as PipelineError {
                failure = error
                throw error
            }
        }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { posixWrite(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let cause = n < 0 ? Self.describe(errno) : "the write made no progress"
                throw fail(
                    "cannot write \(partialPath): \(cause) (\(written) of \(bytes.count) bytes written at byte "
                        + "\(offset))")
            }
            // A short write is not an error in itself: the loop writes the rest, and the call
            // that cannot (a full disk, a size limit) reports why.
            written += n
        }
        offset += Int64(written)
    }

    private func fail(_ message: String) -> PipelineError {
        let error = PipelineError(.output, message)
        failure = error
        return error
    }

    /// `No space left on device (ENOSPC)`.
    static func describe(_ code: Int32) -> String {
        let names: [Int32: String] = [
            ENOSPC: "ENOSPC", EIO: "EIO", EDQUOT: "EDQUOT", EFBIG: "EFBIG", EACCES: "EACCES", EROFS: "EROFS",
            EPIPE: "EPIPE", ENOENT: "ENOENT", EPERM: "EPERM",
        ]
        let text = String(cString: strerror(code))
        return names[code].map { "\(text) (\($0))" } ?? "\(text) (errno \(code))"
    }
}

/// write(2), named apart from `ExportFileWriter.write`.
private func posixWrite(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        return Glibc.write(fd, bytes, count)
    #else
        return Darwin.write(fd, bytes, count)
    #endif
}
