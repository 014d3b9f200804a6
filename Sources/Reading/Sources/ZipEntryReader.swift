import CZlib

/// One zip entry's uncompressed bytes, read in bounded pieces (stored, or raw deflate inflated
/// through zlib) and checked against the entry's CRC-32 and size at its end.
///
/// A truncated archive is a `truncated_zip` error naming the archive's byte offset where the data
/// stops; everything inflated before it has already been handed out.
public final class ZipEntryReader: ByteProvider {
    private let archive: ZipArchive
    private let entry: ZipArchive.Entry
    private let dataEnd: Int64
    private var position: Int64
    private var input: [UInt8] = []
    private var inputStart = 0
    private let stream: UnsafeMutablePointer<z_stream>?
    private var crc: UInt = 0
    private var produced: Int64 = 0
    private var finished = false
    private var reportedCut = false
    private static let readSize = 256 * 1024

    init(archive: ZipArchive, entry: ZipArchive.Entry, dataStart: Int64) throws {
        self.archive = archive
        self.entry = entry
        position = dataStart
        dataEnd = entry.compressedSize.map { dataStart + $0 } ?? archive.size
        crc = CZlib.crc32(0, nil, 0)
        switch entry.method {
        case 0:
            stream = nil
            guard entry.compressedSize != nil else {
                throw ReadingError(
                    .corruptZip, "stored entry '\(entry.name)' gives no size",
                    at: RecordLocator(file: archive.path, offset: entry.localHeaderOffset))
            }
        case 8:
            let s = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            s.initialize(to: z_stream())
            guard memport_inflate_init_raw(s) == Z_OK else {
                s.deinitialize(count: 1)
                s.deallocate()
                throw ReadingError(.corruptZip, "zlib refused to start a deflate stream")
            }
            stream = s
        default:
            throw ReadingError(
                .corruptZip,
                "entry '\(entry.name)' uses compression method \(entry.method); memport reads stored and deflated entries",
                at: RecordLocator(file: archive.path, offset: entry.localHeaderOffset))
        }
    }

    deinit {
        if let stream {
            inflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
    }

    /// Fills `buffer` with the next uncompressed bytes; 0 at the entry's end.
    public func read(into buffer: UnsafeMutableRawPointer, capacity: Int) throws -> Int {
        if finished { return try endOfEntry() }
        if capacity == 0 { return 0 }
        while true {
            if inputStart == input.count {
                let want = Int(min(Int64(Self.readSize), dataEnd - position))
                input = want > 0 ? archive.read(at: position, count: want) : []
                inputStart = 0
                position += Int64(input.count)
                if input.isEmpty {
                    if stream == nil, position >= dataEnd, entry.compressedSize != nil {
                        try finish()
                        return try endOfEntry()
                    }
                    throw truncated()
                }
            }
            let n: Int
            if let stream {
                let start = inputStart
                var ended = false
                var rc: Int32 = Z_OK
                let consumed: Int
                (consumed, n) = input.withUnsafeMutableBufferPointer { inp in
                    stream.pointee.next_in = inp.baseAddress! + start
                    stream.pointee.avail_in = UInt32(inp.count - start)
                    stream.pointee.next_out = buffer.assumingMemoryBound(to: UInt8.self)
                    stream.pointee.avail_out = UInt32(capacity)
                    rc = inflate(stream, Z_NO_FLUSH)
                    return (inp.count - start - Int(stream.pointee.avail_in), capacity - Int(stream.pointee.avail_out))
                }
                inputStart += consumed
                switch rc {
                case Z_STREAM_END: ended = true
                case Z_OK, Z_BUF_ERROR: break
                default:
                    let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                    throw ReadingError(
                        .corruptZip, "entry '\(entry.name)' is damaged: \(reason) (archive byte \(position))",
                        at: RecordLocator(file: archive.path, offset: position))
                }
                account(buffer, n)
                if ended {
                    try finish()
                    return n
                }
                if n == 0, consumed == 0, inputStart < input.count { continue }
            } else {
                n = min(capacity, input.count - inputStart)
                input.withUnsafeBufferPointer { inp in
                    buffer.copyMemory(from: inp.baseAddress! + inputStart, byteCount: n)
                }
                inputStart += n
                account(buffer, n)
            }
            if n > 0 { return n }
        }
    }

    private func account(_ buffer: UnsafeMutableRawPointer, _ n: Int) {
        guard n > 0 else { return }
        crc = CZlib.crc32(crc, buffer.assumingMemoryBound(to: UInt8.self), UInt32(n))
        produced += Int64(n)
    }

    private func finish() throws {
        finished = true
        if let size = entry.uncompressedSize, size != produced {
            throw ReadingError(
                .corruptZip, "entry '\(entry.name)' holds \(produced) bytes, its header says \(size)",
                at: RecordLocator(file: archive.path, offset: position))
        }
        if entry.crc32 != 0 || produced == 0, UInt32(truncatingIfNeeded: crc) != entry.crc32 {
            throw ReadingError(
                .corruptZip, "entry '\(entry.name)' fails its CRC-32 check",
                at: RecordLocator(file: archive.path, offset: position))
        }
    }

    /// 0 at the entry's end; but once, a `truncated_zip` error when the archive lost its central
    /// directory (it was cut after this entry: the entry is whole, what followed it is lost).
    private func endOfEntry() throws -> Int {
        guard archive.scanned, !reportedCut else { return 0 }
        reportedCut = true
        throw ReadingError(
            .truncatedZip,
            "the zip archive is truncated: it ends at byte \(archive.size), after entry '\(entry.name)' "
                + "(which is whole), before its central directory",
            at: RecordLocator(file: archive.path, offset: archive.size))
    }

    private func truncated() -> ReadingError {
        ReadingError(
            .truncatedZip,
            "the zip archive is truncated: it ends at byte \(archive.size) inside entry '\(entry.name)' "
                + "(\(produced) bytes of it read)", at: RecordLocator(file: archive.path, offset: archive.size))
    }
}
