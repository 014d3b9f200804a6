import Foundation
import Pipeline
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
}
