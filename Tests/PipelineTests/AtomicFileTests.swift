import Foundation
import Pipeline
import TestSupport
import Testing

/// Outputs that are streams (`/dev/null`, a FIFO, a terminal) are written through, never
/// replaced by a renamed file: an export or a summary to `/dev/null` once turned the device into
/// a regular file and broke every later `> /dev/null` on the machine.
@Suite struct AtomicFileTests {
    /// Reads everything written into a FIFO on a thread of its own, until the writer closes it.
    final class FIFODrain: @unchecked Sendable {
        // @unchecked: `bytes` is written by the drain thread only, and read after `done` waits for it.
        private(set) var bytes = Data()
        private let finished = DispatchSemaphore(value: 0)

        init(path: String, times: Int = 1) {
            Thread.detachNewThread { [self] in
                for _ in 0..<times {
                    guard let handle = FileHandle(forReadingAtPath: path) else { break }
                    bytes += handle.readDataToEndOfFile()
                    try? handle.close()
                }
                finished.signal()
            }
        }

        func done() -> Data {
            finished.wait()
            return bytes
        }
    }

    @Test func aRegularFileIsReplacedAtomicallyAndAFIFOIsWrittenThrough() async throws {
        try await TemporaryDirectory.with { dir in
            let file = dir.path("summary.json")
            try AtomicFile.write(Data("one".utf8), to: file)
            try AtomicFile.write(Data("two".utf8), to: file)
            #expect(try String(contentsOfFile: file, encoding: .utf8) == "two")
            #expect(!AtomicFile.isStream(file) && !AtomicFile.isStream(dir.path("missing")))
            #expect(!AtomicFile.isStream(dir.url.path))

            let fifo = dir.path("pipe")
            #expect(mkfifo(fifo, 0o600) == 0)
            #expect(AtomicFile.isStream(fifo) && AtomicFile.isStream("/dev/null"))
            let drain = FIFODrain(path: fifo)
            try AtomicFile.write(Data("through".utf8), to: fifo)
            #expect(String(decoding: drain.done(), as: UTF8.self) == "through")
            #expect(AtomicFile.isStream(fifo), "the FIFO is still a FIFO")
            let names = try FileManager.default.contentsOfDirectory(atPath: dir.url.path)
            #expect(names.sorted() == ["pipe", "summary.json"], "no temporary file left behind")
        }
    }

    @Test func anExportIntoAFIFOStreamsEveryMemoryAndLeavesTheFIFO() async throws {
        try await TemporaryDirectory.with { dir in
            let target = try await ExporterTests.target(dir, count: 40)
            let fifo = dir.path("pipe")
            #expect(mkfifo(fifo, 0o600) == 0)
            let drain = FIFODrain(path: fifo)
            let summary = try await Exporter(
                target: target, ledger: try Ledger(directory: dir.url.appendingPathComponent("state")),
                options: .init(output: fifo, format: .ndjson, pageSize: 7)
            ).run()
            let lines = String(decoding: drain.done(), as: UTF8.self).split(separator: "\n")
            #expect(summary.state.written == 40 && lines.count == 40)
            #expect(AtomicFile.isStream(fifo), "the FIFO is still a FIFO")
            let names = try FileManager.default.contentsOfDirectory(atPath: dir.url.path)
            #expect(!names.contains { $0.hasSuffix(".partial") }, "nothing renamed over the FIFO: \(names)")
        }
    }
}
