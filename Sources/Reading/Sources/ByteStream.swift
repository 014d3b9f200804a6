import Foundation
import MemoryAPI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads one input in chunks of bounded size: a file or stdin, inflated when it starts with the
/// gzip magic bytes whatever its name, with the compressed and uncompressed offsets tracked.
///
/// Not `Sendable`: one reader owns it and pulls chunks in order.
///
/// ```swift
/// let stream = try ByteStream(InputSource("chats.jsonl.gz"))
/// while let chunk = try stream.nextChunk() { ... }
/// ```
public final class ByteStream {
    /// The input.
    public let source: InputSource
    /// `true` when the input is gzip.
    public private(set) var isGzip = false
    /// Bytes read from the file so far (compressed bytes for gzip).
    public private(set) var bytesRead: Int64 = 0
    /// Compressed bytes consumed by the inflater (equals `uncompressedOffset` for plain input).
    public private(set) var compressedOffset: Int64 = 0
    /// Uncompressed bytes handed out so far.
    public private(set) var uncompressedOffset: Int64 = 0
    /// The input's fingerprint for the job ledger.
    public private(set) var fingerprint: SourceFingerprint
    /// The size on disk, when known, for progress.
    public var size: Int64? { fingerprint.size }

    /// `true` for standard input, a pipe, a FIFO or a device: read once, never sized.
    public private(set) var isStream = false

    private let fd: Int32
    private let provider: (any ByteProvider)?
    /// A provider's failure met while the head was read ahead: thrown when the bytes before it
    /// have been handed out, so a cut archive still yields what it holds.
    private var deferredFailure: (any Error)?
    private let chunkSize: Int
    private var raw: [UInt8]
    private var rawStart = 0
    private var rawEnd = 0
    private var atEOF = false
    private var inflater: GzipInflater?
    private var memberEnded = false
    private var closed = false
    private var peeked: [UInt8]?
    /// The buffer `appendNextChunk(to:)` inflates into, allocated on first use.
    private var inflated: [UInt8] = []

    /// Opens a source and reads its first bytes to detect gzip and fingerprint it.
    ///
    /// - Throws: `ReadingError` `.inputNotFound` or `.unreadable` naming the file.
    public init(_ source: InputSource, chunkSize: Int = 1 << 20) throws {
        provider = nil
        self.source = source
        self.chunkSize = max(chunkSize, 4096)
        raw = [UInt8](repeating: 0, count: self.chunkSize)
        var size: Int64?
        var modified: Double?
        if source.isStandardInput {
            fd = 0
            isStream = true
        } else {
            // Opening a FIFO blocks until a writer comes: marked so an interrupt ends the wait.
            let opened =
                source.isRegularFile
                ? open(source.name, O_RDONLY | O_CLOEXEC)
                : BlockingInput.wait { open(source.name, O_RDONLY | O_CLOEXEC) }
            if opened < 0 {
                let code = errno
                let reason = String(cString: strerror(code))
                throw ReadingError(
                    code == ENOENT ? .inputNotFound : .unreadable, "cannot open \(source.name): \(reason)",
                    at: RecordLocator(file: source.name))
            }
            var info = stat()
            if fstat(opened, &info) == 0 {
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    _ = close(opened)
                    throw ReadingError(
                        .unreadable, "\(source.name) is a directory", at: RecordLocator(file: source.name))
                }
                if (info.st_mode & S_IFMT) == S_IFREG {
                    size = Int64(info.st_size)
                    modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
                } else {
                    isStream = true
                }
            }
            fd = opened
        }
        fingerprint = SourceFingerprint(identity: source.identity, size: size, modified: modified, headHash: "")
        do {
            while rawEnd < SourceFingerprint.headLength, !atEOF { try fillRaw() }
        } catch {
            closeFile()
            throw error
        }
        fingerprint.headHash = SHA256.hex(raw[0..<min(rawEnd, SourceFingerprint.headLength)])
        if rawEnd >= 2, raw[0] == 0x1F, raw[1] == 0x8B {
            isGzip = true
            inflater = try GzipInflater()
        }
    }

    /// Reads bytes from a provider (a zip entry) rather than a file; `source` names it in
    /// locators and `identity` fingerprints it.
    ///
    /// - Throws: `ReadingError` when zlib cannot start; a failure of the provider is thrown by the
    ///   read that follows the bytes it gave before it.
    public init(_ source: InputSource, provider: any ByteProvider, identity: String, chunkSize: Int = 1 << 20) throws {
        self.source = source
        self.provider = provider
        self.chunkSize = max(chunkSize, 4096)
        raw = [UInt8](repeating: 0, count: self.chunkSize)
        fd = -1
        closed = true
        fingerprint = SourceFingerprint(identity: identity, size: nil, modified: nil, headHash: "")
        do {
            while rawEnd < SourceFingerprint.headLength, !atEOF { try fillRaw() }
        } catch {
            deferredFailure = error
        }
        fingerprint.headHash = SHA256.hex(raw[0..<min(rawEnd, SourceFingerprint.headLength)])
        if rawEnd >= 2, raw[0] == 0x1F, raw[1] == 0x8B {
            isGzip = true
            inflater = try GzipInflater()
        }
    }

    deinit { closeFile() }

    /// The next chunk of uncompressed bytes, or `nil` at the end of the input.
    ///
    /// - Throws: `ReadingError` `.truncatedGzip` when the gzip stream stops before its end,
    ///   `.corruptGzip` when it is damaged, `.unreadable` on a read error; each names the
    ///   compressed and uncompressed byte offsets.
    public func nextChunk() throws -> [UInt8]? {
        if let chunk = peeked {
            peeked = nil
            return chunk
        }
        if let inflater { return try nextInflated(inflater) }
        if rawStart == rawEnd {
            if atEOF { return nil }
            try fillRaw()
            if rawStart == rawEnd { return nil }
        }
        let chunk = Array(raw[rawStart..<rawEnd])
        rawStart = rawEnd
        uncompressedOffset += Int64(chunk.count)
        compressedOffset = uncompressedOffset
        return chunk
    }

    /// Appends the next chunk of uncompressed bytes to `buffer`, inflating into a buffer the
    /// stream keeps rather than a new array per chunk; returns how many bytes were appended, or
    /// `nil` at the end of the input.
    ///
    /// - Throws: what `nextChunk()` throws.
    public func appendNextChunk(to buffer: inout [UInt8]) throws -> Int? {
        guard peeked == nil, let inflater else {
            guard let chunk = try nextChunk() else { return nil }
            buffer.append(contentsOf: chunk)
            return chunk.count
        }
        if inflated.isEmpty { inflated = [UInt8](repeating: 0, count: chunkSize) }
        guard let produced = try inflate(with: inflater, into: &inflated) else { return nil }
        inflated.withUnsafeBufferPointer { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<produced])) }
        return produced
    }

    /// The first uncompressed bytes, without consuming them (empty for an empty input).
    ///
    /// - Throws: what `nextChunk()` throws.
    public func peek() throws -> [UInt8] {
        if let peeked { return peeked }
        let chunk = try nextChunk() ?? []
        peeked = chunk
        return chunk
    }

    private func nextInflated(_ inflater: GzipInflater) throws -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: chunkSize)
        guard let produced = try inflate(with: inflater, into: &out) else { return nil }
        out.removeSubrange(produced...)
        return out
    }

    /// Inflates the next bytes into `out` (from its start, up to its size); returns how many, or
    /// `nil` at the end of the last member.
    private func inflate(with inflater: GzipInflater, into out: inout [UInt8]) throws -> Int? {
        var produced = 0
        while produced == 0 {
            if rawStart == rawEnd {
                if !atEOF { try fillRaw() }
                if rawStart == rawEnd {
                    if memberEnded { return nil }
                    throw ReadingError(
                        .truncatedGzip,
                        "the gzip stream is truncated: it ends at compressed byte \(compressedOffset) "
                            + "(uncompressed byte \(uncompressedOffset)) before its trailer",
                        at: locatorHere)
                }
            }
            if memberEnded {
                if rawEnd - rawStart < 2, !atEOF { try fillRaw() }
                guard rawEnd - rawStart >= 2, raw[rawStart] == 0x1F, raw[rawStart + 1] == 0x8B else {
                    throw ReadingError(
                        .corruptGzip, "unexpected data after the gzip stream at compressed byte \(compressedOffset)",
                        at: locatorHere)
                }
                inflater.reset()
                memberEnded = false
            }
            let start = rawStart
            let end = rawEnd
            let step: (consumed: Int, produced: Int, ended: Bool)
            do {
                step = try raw.withUnsafeMutableBufferPointer { input in
                    try out.withUnsafeMutableBufferPointer { output in
                        try inflater.inflate(
                            UnsafeMutableBufferPointer(rebasing: input[start..<end]),
                            into: UnsafeMutableBufferPointer(rebasing: output[produced...]))
                    }
                }
            } catch var error as ReadingError {
                error.locator = locatorHere
                error.message += " (compressed byte \(compressedOffset), uncompressed byte \(uncompressedOffset))"
                throw error
            }
            rawStart += step.consumed
            compressedOffset += Int64(step.consumed)
            produced += step.produced
            if step.ended { memberEnded = true }
            if step.consumed == 0, step.produced == 0, !step.ended, atEOF, rawStart == rawEnd { continue }
        }
        uncompressedOffset += Int64(produced)
        return produced
    }

    private var locatorHere: RecordLocator {
        RecordLocator(
            file: source.name, offset: uncompressedOffset, compressedOffset: isGzip ? compressedOffset : nil)
    }

    /// Reads more raw bytes into the free end of the raw buffer.
    private func fillRaw() throws {
        if rawStart == rawEnd {
            rawStart = 0
            rawEnd = 0
        } else if rawEnd == raw.count {
            raw.removeSubrange(0..<rawStart)
            rawEnd -= rawStart
            rawStart = 0
            raw += [UInt8](repeating: 0, count: chunkSize - (raw.count - rawEnd))
        }
        let capacity = raw.count - rawEnd
        let fileDescriptor = fd
        let offset = rawEnd
        if let provider {
            if let failure = deferredFailure {
                deferredFailure = nil
                throw failure
            }
            let n = try raw.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return try provider.read(into: base + offset, capacity: capacity)
            }
            if n == 0 { atEOF = true }
            rawEnd += n
            bytesRead += Int64(n)
            return
        }
        while true {
            let readMore = {
                self.raw.withUnsafeMutableBytes { buffer -> Int in
                    guard let base = buffer.baseAddress else { return 0 }
                    return read(fileDescriptor, base + offset, capacity)
                }
            }
            let n = isStream ? BlockingInput.wait(readMore) : readMore()
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw ReadingError(
                    .unreadable, "cannot read \(source.name): \(reason)",
                    at: RecordLocator(file: source.name, offset: bytesRead))
            }
            if n == 0 {
                atEOF = true
                try checkUnchanged()
            }
            rawEnd += n
            bytesRead += Int64(n)
            return
        }
    }

    /// At the end of a regular file: the bytes read must be the size it had when opened, and
    /// its size and modification time must not have moved, or it changed while being read.
    private func checkUnchanged() throws {
        guard !isStream, let size = fingerprint.size else { return }
        var info = stat()
        let now: (size: Int64, modified: Double)? =
            fstat(fd, &info) == 0
            ? (Int64(info.st_size), Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9) : nil
        var what: String?
        if bytesRead < size {
            what = "it ended at byte \(bytesRead) of the \(size) it had when opened (it shrank)"
        } else if bytesRead > size {
            what = "\(bytesRead) bytes were read from a file of \(size) bytes (it grew)"
        } else if let now, now.size != size {
            what = "its size went from \(size) to \(now.size) bytes"
        } else if let now, let modified = fingerprint.modified, now.modified != modified {
            what = "it was modified while being read"
        }
        guard let what else { return }
        throw ReadingError(
            .sourceChanged,
            "\(source.name) changed while it was read: \(what); its records may be incomplete, run again",
            at: RecordLocator(file: source.name, offset: bytesRead))
    }

    private func closeFile() {
        guard !closed else { return }
        closed = true
        if !source.isStandardInput { _ = close(fd) }
    }
}
