import CZlib
import Reading

/// A zlib deflate stream writing gzip members, owned by one writer.
///
/// Each `finish` ends the current member with its trailer, so a file holds one member per
/// checkpoint: a concatenation gzip readers (and `GzipInflater`) read as one stream, and a file
/// cut back to the end of any member is still valid gzip.
final class GzipDeflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private let level: Int32
    private var started = false
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)

    /// Prepares a deflater; the first member starts with the first byte compressed.
    init(level: Int32 = 6) {
        self.level = level
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
    }

    deinit {
        if started { deflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Compresses `input`, returning the compressed bytes produced so far.
    ///
    /// - Throws: `PipelineError` `.output` when zlib refuses.
    func compress(_ input: [UInt8]) throws -> [UInt8] {
        try start()
        return try run(input, flush: Z_NO_FLUSH)
    }

    /// Ends the current member: the bytes that complete it (empty when nothing was compressed).
    func finish() throws -> [UInt8] {
        guard started else { return [] }
        let out = try run([], flush: Z_FINISH)
        deflateEnd(stream)
        stream.pointee = z_stream()
        started = false
        return out
    }

    private func start() throws {
        guard !started else { return }
        let rc = memport_deflate_init_gzip(stream, level)
        guard rc == Z_OK else { throw PipelineError(.output, "zlib refused to start a gzip stream (code \(rc))") }
        started = true
    }

    private func run(_ input: [UInt8], flush: Int32) throws -> [UInt8] {
        var out: [UInt8] = []
        var input = input
        try input.withUnsafeMutableBufferPointer { inBuf in
            stream.pointee.next_in = inBuf.baseAddress
            stream.pointee.avail_in = UInt32(inBuf.count)
            while true {
                let (rc, produced) = scratch.withUnsafeMutableBufferPointer { outBuf -> (Int32, Int) in
                    stream.pointee.next_out = outBuf.baseAddress
                    stream.pointee.avail_out = UInt32(outBuf.count)
                    let rc = deflate(stream, flush)
                    return (rc, outBuf.count - Int(stream.pointee.avail_out))
                }
                out.append(contentsOf: scratch[0..<produced])
                if rc == Z_STREAM_END { break }
                guard rc == Z_OK || rc == Z_BUF_ERROR else {
                    throw PipelineError(.output, "gzip compression failed (zlib code \(rc))")
                }
                if flush == Z_NO_FLUSH && stream.pointee.avail_in == 0 && produced < scratch.count { break }
                if flush == Z_FINISH && rc == Z_BUF_ERROR && produced == 0 { break }
            }
            stream.pointee.next_in = nil
        }
        return out
    }
}
