import Foundation
import MemoryAPI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Streams memories into one export file: written under `.<name>.partial` (mode 0600) and
/// renamed to its name only when complete, with checkpoints a later run can resume from.
///
/// A checkpoint flushes everything written so far (and, for gzip, ends the current gzip member)
/// and syncs the file; its offset is where a resumed run cuts the partial file back to, so the
/// bytes written after the last checkpoint are dropped and written again.
final class ExportFileWriter {
    /// The final path.
    let path: String
    /// The temporary path.
    let partialPath: String
    /// Memories in the file so far.
    private(set) var count: Int
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
    /// - Throws: `PipelineError` `.output` naming the path.
    init(path: String, format: ExportFormat, gzip: Bool, resume: (offset: Int64, count: Int)?) throws {
        self.path = path
        self.partialPath = Self.partialPath(of: path)
        self.format = format
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
        let flags = O_WRONLY | O_CREAT | (resume == nil ? O_TRUNC : 0)
        fd = open(partialPath, flags, 0o600)
        guard fd >= 0 else {
            throw PipelineError(.output, "cannot write \(partialPath): \(String(cString: strerror(errno)))")
        }
        fchmod(fd, 0o600)
        if let resume {
            let size = lseek(fd, 0, SEEK_END)
            guard size >= resume.offset, ftruncate(fd, off_t(resume.offset)) == 0,
                lseek(fd, off_t(resume.offset), SEEK_SET) == resume.offset
            else {
                close(fd)
                throw PipelineError(
                    .output,
                    "cannot resume \(partialPath): it holds \(max(size, 0)) bytes, the checkpoint needs \(resume.offset); "
                        + "delete it and the export starts over")
            }
            offset = resume.offset
            count = resume.count
        } else {
            offset = 0
            count = 0
            buffer = format.header
        }
    }

    deinit {
        close(fd)
    }

    /// Appends one memory.
    func write(_ memory: Memory) throws {
        buffer += format.encode(memory, first: count == 0)
        count += 1
        if buffer.count >= 1 << 20 { try flush(endMember: false) }
    }

    /// Flushes and syncs; returns the offset a resumed run starts from.
    func checkpoint() throws -> Int64 {
        try flush(endMember: true)
        fsync(fd)
        return offset
    }

    /// Writes the trailer, syncs and renames the file to its name.
    func finish() throws {
        buffer += format.trailer
        _ = try checkpoint()
        if rename(partialPath, path) != 0 {
            throw PipelineError(.output, "cannot rename \(partialPath) to \(path): \(String(cString: strerror(errno)))")
        }
    }

    private func flush(endMember: Bool) throws {
        var bytes = buffer
        buffer.removeAll(keepingCapacity: true)
        if let deflater {
            bytes = try deflater.compress(bytes)
            if endMember { bytes += try deflater.finish() }
        }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { posixWrite(fd, $0.baseAddress, $0.count) }
            guard n > 0 else {
                throw PipelineError(.output, "cannot write \(partialPath): \(String(cString: strerror(errno)))")
            }
            written += n
        }
        offset += Int64(written)
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
