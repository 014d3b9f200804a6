import CZlib
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A zip archive, read entry by entry without loading any entry whole: the central directory
/// lists the entries; when it is missing (a truncated archive) the local headers are scanned from
/// the start instead, so the entries before the cut still read.
///
/// Not `Sendable`: one reader owns it.
///
/// ```swift
/// let zip = try ZipArchive(path: "memories_export_alice.zip")
/// let stream = try ByteStream(InputSource(zip.path), provider: try zip.reader(for: zip.entries[0]), identity: ...)
/// ```
public final class ZipArchive {
    /// One entry of the archive.
    public struct Entry: Sendable, Hashable {
        /// The name inside the archive.
        public var name: String
        /// 0 stored, 8 deflated (the only methods read).
        public var method: UInt16
        /// The CRC-32 of the uncompressed data (0 when a data descriptor holds it).
        public var crc32: UInt32
        /// The compressed size, when the headers give it.
        public var compressedSize: Int64?
        /// The uncompressed size, when the headers give it.
        public var uncompressedSize: Int64?
        /// Where the entry's local header starts.
        public var localHeaderOffset: Int64
    }

    /// The archive as the user named it.
    public let path: String
    /// The archive's size in bytes.
    public let size: Int64
    /// The entries, in archive order.
    public private(set) var entries: [Entry] = []
    /// `true` when the central directory was missing or damaged and the entries were found by
    /// scanning local headers (the archive is truncated).
    public private(set) var scanned = false
    let fd: Int32

    /// `PK\u{3}\u{4}`: the first bytes of a zip archive.
    public static func isZip(_ head: some Collection<UInt8>) -> Bool {
        Array(head.prefix(4)) == [0x50, 0x4B, 0x03, 0x04]
    }

    /// Opens an archive and lists its entries.
    ///
    /// - Throws: `ReadingError` `.inputNotFound`, `.unreadable`, `.corruptZip` naming the archive.
    public init(path: String) throws {
        self.path = path
        let opened = open(path, O_RDONLY)
        if opened < 0 {
            let code = errno
            throw ReadingError(
                code == ENOENT ? .inputNotFound : .unreadable,
                "cannot open \(path): \(String(cString: strerror(code)))", at: RecordLocator(file: path))
        }
        fd = opened
        var info = stat()
        size = fstat(opened, &info) == 0 ? Int64(info.st_size) : 0
        if let listed = try? centralDirectory() {
            entries = listed
        } else {
            entries = try scanLocalHeaders()
            scanned = true
        }
    }

    deinit { _ = close(fd) }

    /// The entry with this name (the last one, as unzip does), or nil.
    public func entry(named name: String) -> Entry? { entries.last { $0.name == name } }

    /// A provider of the entry's uncompressed bytes.
    ///
    /// - Throws: `ReadingError` `.truncatedZip` or `.corruptZip` when its local header cannot be read.
    public func reader(for entry: Entry) throws -> ZipEntryReader {
        let header = read(at: entry.localHeaderOffset, count: 30)
        guard header.count == 30 else {
            throw ReadingError(
                .truncatedZip,
                "the zip archive ends at byte \(size), inside the header of entry '\(entry.name)' "
                    + "(at byte \(entry.localHeaderOffset))", at: RecordLocator(file: path, offset: size))
        }
        guard Self.u32(header, 0) == 0x0403_4B50 else {
            throw ReadingError(
                .corruptZip, "entry '\(entry.name)' has no local header at byte \(entry.localHeaderOffset)",
                at: RecordLocator(file: path, offset: entry.localHeaderOffset))
        }
        let dataStart = entry.localHeaderOffset + 30 + Int64(Self.u16(header, 26)) + Int64(Self.u16(header, 28))
        return try ZipEntryReader(archive: self, entry: entry, dataStart: dataStart)
    }

    /// Reads up to `count` bytes at `offset` (fewer at the end of the file).
    func read(at offset: Int64, count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = out.withUnsafeMutableBytes { b -> Int in
                pread(fd, b.baseAddress! + got, count - got, off_t(offset + Int64(got)))
            }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            got += n
        }
        out.removeSubrange(got...)
        return out
    }

    private func centralDirectory() throws -> [Entry] {
        let tailLength = Int(min(size, 65_557))
        let tail = read(at: size - Int64(tailLength), count: tailLength)
        guard tail.count >= 22 else { throw ReadingError(.corruptZip, "no end of central directory") }
        var eocd: Int?
        var i = tail.count - 22
        while i >= 0 {
            if tail[i] == 0x50, Self.u32(tail, i) == 0x0605_4B50 {
                eocd = i
                break
            }
            i -= 1
        }
        guard let e = eocd else { throw ReadingError(.corruptZip, "no end of central directory") }
        var count = Int(Self.u16(tail, e + 10))
        var cdSize = Int64(Self.u32(tail, e + 12))
        var cdOffset = Int64(Self.u32(tail, e + 16))
        if cdOffset == 0xFFFF_FFFF || count == 0xFFFF {
            // Zip64: the locator sits just before the end record.
            let locatorAt = size - Int64(tailLength) + Int64(e) - 20
            let locator = read(at: locatorAt, count: 20)
            guard locator.count == 20, Self.u32(locator, 0) == 0x0706_4B50 else {
                throw ReadingError(.corruptZip, "no zip64 locator")
            }
            let record = read(at: Int64(Self.u64(locator, 8)), count: 56)
            guard record.count == 56, Self.u32(record, 0) == 0x0606_4B50 else {
                throw ReadingError(.corruptZip, "no zip64 end record")
            }
            count = Int(Self.u64(record, 32))
            cdSize = Int64(Self.u64(record, 40))
            cdOffset = Int64(Self.u64(record, 48))
        }
        guard cdOffset + cdSize <= size else { throw ReadingError(.corruptZip, "the central directory is cut") }
        let cd = read(at: cdOffset, count: Int(cdSize))
        var entries: [Entry] = []
        var p = 0
        for _ in 0..<count {
            guard p + 46 <= cd.count, Self.u32(cd, p) == 0x0201_4B50 else {
                throw ReadingError(.corruptZip, "a central directory entry is damaged")
            }
            let nameLength = Int(Self.u16(cd, p + 28))
            let extraLength = Int(Self.u16(cd, p + 30))
            let commentLength = Int(Self.u16(cd, p + 32))
            guard p + 46 + nameLength + extraLength <= cd.count else {
                throw ReadingError(.corruptZip, "a central directory entry is cut")
            }
            var compressed = Int64(Self.u32(cd, p + 20))
            var uncompressed = Int64(Self.u32(cd, p + 24))
            var local = Int64(Self.u32(cd, p + 42))
            // Zip64 extra field: the 0xFFFFFFFF values, in order.
            var x = p + 46 + nameLength
            let xEnd = x + extraLength
            while x + 4 <= xEnd {
                let id = Self.u16(cd, x)
                let length = Int(Self.u16(cd, x + 2))
                if id == 0x0001 {
                    var f = x + 4
                    if uncompressed == 0xFFFF_FFFF, f + 8 <= xEnd {
                        uncompressed = Int64(Self.u64(cd, f))
                        f += 8
                    }
                    if compressed == 0xFFFF_FFFF, f + 8 <= xEnd {
                        compressed = Int64(Self.u64(cd, f))
                        f += 8
                    }
                    if local == 0xFFFF_FFFF, f + 8 <= xEnd { local = Int64(Self.u64(cd, f)) }
                }
                x += 4 + length
            }
            entries.append(
                Entry(
                    name: String(decoding: cd[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self),
                    method: Self.u16(cd, p + 10), crc32: Self.u32(cd, p + 16), compressedSize: compressed,
                    uncompressedSize: uncompressed, localHeaderOffset: local))
            p += 46 + nameLength + extraLength + commentLength
        }
        return entries
    }

    /// The entries whose local headers can be read from the start of the file, up to the cut.
    private func scanLocalHeaders() throws -> [Entry] {
        var entries: [Entry] = []
        var offset: Int64 = 0
        while offset + 30 <= size {
            let header = read(at: offset, count: 30)
            guard header.count == 30, Self.u32(header, 0) == 0x0403_4B50 else { break }
            let flags = Self.u16(header, 6)
            let nameLength = Int(Self.u16(header, 26))
            let extraLength = Int(Self.u16(header, 28))
            let name = read(at: offset + 30, count: nameLength)
            guard name.count == nameLength else { break }
            let sizesKnown = flags & 0x08 == 0
            var compressed = Int64(Self.u32(header, 18))
            var uncompressed = Int64(Self.u32(header, 22))
            if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF {
                // Zip64: a local header's zip64 extra field holds both sizes, uncompressed first.
                let extra = read(at: offset + 30 + Int64(nameLength), count: extraLength)
                var x = 0
                while x + 4 <= extra.count {
                    let length = Int(Self.u16(extra, x + 2))
                    if Self.u16(extra, x) == 0x0001, length >= 16, x + 4 + 16 <= extra.count {
                        uncompressed = Int64(Self.u64(extra, x + 4))
                        compressed = Int64(Self.u64(extra, x + 12))
                        break
                    }
                    x += 4 + length
                }
            }
            entries.append(
                Entry(
                    name: String(decoding: name, as: UTF8.self), method: Self.u16(header, 8),
                    crc32: Self.u32(header, 14), compressedSize: sizesKnown ? compressed : nil,
                    uncompressedSize: sizesKnown ? uncompressed : nil, localHeaderOffset: offset))
            // An entry whose sizes follow its data cannot be skipped without inflating it.
            guard sizesKnown else { break }
            offset += 30 + Int64(nameLength) + Int64(extraLength) + compressed
        }
        if entries.isEmpty {
            throw ReadingError(
                .corruptZip, "\(path) holds no readable zip entry", at: RecordLocator(file: path, offset: 0))
        }
        return entries
    }

    static func u16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }

    static func u32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }

    static func u64(_ b: [UInt8], _ i: Int) -> UInt64 {
        UInt64(u32(b, i)) | UInt64(u32(b, i + 4)) << 32
    }
}
