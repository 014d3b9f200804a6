import CZlib

/// A zlib inflate stream for gzip members, owned by one reader.
///
/// zlib keeps a pointer back to its `z_stream`, so the struct lives at a fixed heap address for
/// the inflater's lifetime.
final class GzipInflater {
    private let stream: UnsafeMutablePointer<z_stream>

    /// Starts a gzip inflate stream.
    init() throws {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let rc = memport_inflate_init_gzip(stream)
        guard rc == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw ReadingError(.corruptGzip, "zlib refused to start a gzip stream (code \(rc))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Prepares for the next member of a multi-member gzip file.
    func reset() {
        inflateReset(stream)
    }

    /// Inflates as much of `input` into `output` as fits.
    ///
    /// - Returns: bytes consumed from `input`, bytes produced into `output`, and whether the
    ///   member's trailer was reached.
    /// - Throws: `ReadingError` `.corruptGzip` with zlib's message.
    func inflate(
        _ input: UnsafeMutableBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>
    ) throws -> (consumed: Int, produced: Int, ended: Bool) {
        stream.pointee.next_in = input.baseAddress
        stream.pointee.avail_in = UInt32(input.count)
        stream.pointee.next_out = output.baseAddress
        stream.pointee.avail_out = UInt32(output.count)
        let rc = CZlib.inflate(stream, Z_NO_FLUSH)
        let consumed = input.count - Int(stream.pointee.avail_in)
        let produced = output.count - Int(stream.pointee.avail_out)
        switch rc {
        case Z_OK, Z_BUF_ERROR:
            return (consumed, produced, false)
        case Z_STREAM_END:
            return (consumed, produced, true)
        default:
            let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
            throw ReadingError(.corruptGzip, "the gzip stream is damaged: \(reason)")
        }
    }
}
