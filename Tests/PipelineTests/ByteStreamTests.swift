import Foundation
import Pipeline
import Reading
import Testing

@Suite struct ByteStreamTests {
    static func readAll(_ stream: ByteStream) throws -> [UInt8] {
        var all: [UInt8] = []
        while let chunk = try stream.nextChunk() { all += chunk }
        return all
    }

    @Test func readsAPlainFileAndFingerprintsIt() throws {
        let text = String(repeating: "hello world\n", count: 10_000)
        let path = try Fixtures.write(text, name: "plain.txt")
        let stream = try ByteStream(InputSource(path), chunkSize: 4096)
        #expect(!stream.isGzip)
        #expect(try Self.readAll(stream) == Array(text.utf8))
        #expect(stream.uncompressedOffset == Int64(text.utf8.count))
        #expect(stream.fingerprint.size == Int64(text.utf8.count))
        #expect(stream.fingerprint.headHash.count == 64)
        #expect(stream.fingerprint.identity.hasPrefix("/"))
    }

    @Test func detectsGzipByMagicBytesWhateverTheName() throws {
        let text = String(repeating: "line of text\n", count: 50_000)
        let gz = try Fixtures.gzip(Array(text.utf8))
        let path = try Fixtures.write(gz, name: "data.bin")
        let stream = try ByteStream(InputSource(path), chunkSize: 8192)
        #expect(stream.isGzip)
        #expect(try Self.readAll(stream) == Array(text.utf8))
        #expect(stream.compressedOffset == Int64(gz.count))
        #expect(stream.uncompressedOffset == Int64(text.utf8.count))
    }

    @Test func readsConcatenatedGzipMembers() throws {
        let a = try Fixtures.gzip(Array("first\n".utf8))
        let b = try Fixtures.gzip(Array("second\n".utf8))
        let path = try Fixtures.write(a + b, name: "two.gz")
        #expect(try Self.readAll(ByteStream(InputSource(path))) == Array("first\nsecond\n".utf8))
    }

    @Test func truncatedGzipThrowsWithBothOffsets() throws {
        let gz = try Fixtures.gzip(Array(String(repeating: "abcdefgh", count: 100_000).utf8))
        let path = try Fixtures.write(Array(gz.prefix(gz.count - 20)), name: "cut.gz")
        let stream = try ByteStream(InputSource(path))
        #expect {
            _ = try Self.readAll(stream)
        } throws: { error in
            guard let error = error as? PipelineError else { return false }
            return error.code == .truncatedGzip && error.locator?.compressedOffset == Int64(gz.count - 20)
                && error.locator?.file == path && (error.locator?.offset ?? 0) > 0
        }
    }

    @Test func damagedGzipIsCorrupt() throws {
        var gz = try Fixtures.gzip(Array(String(repeating: "abcdefgh", count: 1000).utf8))
        for i in 12..<min(40, gz.count) { gz[i] ^= 0xFF }
        let path = try Fixtures.write(gz, name: "bad.gz")
        #expect(throws: PipelineError.self) { _ = try Self.readAll(ByteStream(InputSource(path))) }
    }

    @Test func missingFileIsInputNotFound() throws {
        #expect {
            _ = try ByteStream(InputSource("/nonexistent/memport/file.json"))
        } throws: { ($0 as? PipelineError)?.code == .inputNotFound }
    }

    @Test func peekDoesNotConsume() throws {
        let path = try Fixtures.write("[1,2,3]", name: "peek.json")
        let stream = try ByteStream(InputSource(path))
        #expect(try stream.peek() == Array("[1,2,3]".utf8))
        #expect(try Self.readAll(stream) == Array("[1,2,3]".utf8))
    }

    /// A file that shrinks while it is read is reported as changed, naming the file.
    @Test func aFileThatShrinksWhileReadIsReportedAsChanged() throws {
        let text = String(repeating: "0123456789abcdef\n", count: 40_000)
        let path = try Fixtures.write(text, name: "shrinks.jsonl")
        let stream = try ByteStream(InputSource(path), chunkSize: 4096)
        _ = try stream.nextChunk()
        #expect(truncate(path, 100_000) == 0)
        let error = #expect(throws: PipelineError.self) { while try stream.nextChunk() != nil {} }
        #expect(error?.code == .sourceChanged)
        #expect(error?.message.contains(path) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("shrank") == true)
    }

    /// A file rewritten (same size, new content) while read is reported as changed too.
    @Test func aFileRewrittenWhileReadIsReportedAsChanged() throws {
        let text = String(repeating: "0123456789abcdef\n", count: 40_000)
        let path = try Fixtures.write(text, name: "rewritten.jsonl")
        let stream = try ByteStream(InputSource(path), chunkSize: 4096)
        _ = try stream.nextChunk()
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seek(toOffset: 600_000)
        try handle.write(contentsOf: Data("X".utf8))
        try handle.close()
        var times = [timespec(tv_sec: 1_000_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        let error = #expect(throws: PipelineError.self) { while try stream.nextChunk() != nil {} }
        #expect(error?.code == .sourceChanged)
    }

    /// A FIFO is a stream: never sized, read once, identified by the path it was named by.
    @Test func aFIFOIsAStreamReadOnce() throws {
        let dir = try Fixtures.tempDir()
        let fifo = dir.appendingPathComponent("in.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let source = InputSource(fifo)
        #expect(!source.isRegularFile && source.regularFileSize == nil)
        #expect(source.identity == fifo)
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            let bytes = Array("abc\ndef\n".utf8)
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        writer.start()
        let stream = try ByteStream(source)
        #expect(stream.isStream && stream.size == nil)
        #expect(try Self.readAll(stream) == Array("abc\ndef\n".utf8))
    }
}
