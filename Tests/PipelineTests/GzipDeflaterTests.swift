import Foundation
import Reading
import TestSupport
import Testing

@testable import Pipeline

/// gzip output, one member per checkpoint, read back by memport's own reader and by gzip(1).
struct GzipDeflaterTests {
    @Test func membersConcatenateIntoOneReadableStream() async throws {
        try await TemporaryDirectory.with { dir in
            let deflater = GzipDeflater()
            var file: [UInt8] = []
            var expected: [UInt8] = []
            for member in 0..<3 {
                for line in 0..<2000 {
                    let bytes = Array(
                        "member \(member) line \(line) \(String(repeating: "x", count: line % 50))\n".utf8)
                    expected += bytes
                    file += try deflater.compress(bytes)
                }
                file += try deflater.finish()
            }
            #expect(try deflater.finish().isEmpty, "nothing pending after a finished member")
            let path = dir.path("out.gz")
            try Data(file).write(to: URL(fileURLWithPath: path))
            let stream = try ByteStream(InputSource(path))
            var read: [UInt8] = []
            while let chunk = try stream.nextChunk() { read += chunk }
            #expect(stream.isGzip)
            #expect(read == expected)
            #expect(file.count < expected.count / 3)

            let gunzip = Process()
            gunzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
            gunzip.arguments = ["-t", path]
            try gunzip.run()
            gunzip.waitUntilExit()
            #expect(gunzip.terminationStatus == 0)
        }
    }
}
