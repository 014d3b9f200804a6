import Foundation
import MemoryAPI
import MemoryStore
import Pipeline
import Reading
import TestSupport
import Testing

/// Exports of an embedded store: every memory once, each format read back through the `mem0`
/// preset, resumption after an interruption, and the server count check.
@Suite(.serialized) struct ExporterTests {
    static func target(_ dir: TemporaryDirectory, count: Int = 120) async throws -> EmbeddedTarget {
        try await ExportFixtures.fill(store: dir.path("s.db"), count: count, entities: 6)
        return try EmbeddedTarget(path: dir.path("s.db"))
    }

    /// The ids of the memories in an export file, read back as the `mem0` preset reads them.
    static func readBack(_ path: String) -> [String] {
        let reader = ImportReader(sources: [InputSource(path)], options: ImportOptions(preset: .mem0))
        var ids: [String] = []
        while let event = reader.next() {
            if case .unit(let unit) = event, case .add(let request) = unit.payload,
                case .string(let id) = request.metadata?[Mem0DumpAdapter.sourceIDField]
            {
                ids.append(id)
            }
        }
        return ids
    }

    @Test(arguments: [ExportFormat.ndjson, .json, .csv])
    func everyFormatHoldsEachMemoryOnceAndReadsBackThroughTheMem0Preset(_ format: ExportFormat) async throws {
        try await TemporaryDirectory.with { dir in
            let target = try await Self.target(dir)
            let out = dir.path("out." + format.fileExtension + ".gz")
            let summary = try await Exporter(
                target: target, ledger: try Ledger(directory: dir.url.appendingPathComponent("state")),
                options: .init(output: out, format: format, gzip: true, pageSize: 7)
            ).run()
            #expect(summary.state.written == 120)
            #expect(!summary.countMismatch)
            let all = try await target.store.all(filter: nil, showExpired: true, in: .default)
            let ids = Self.readBack(out)
            #expect(ids.count == 120)
            #expect(Set(ids) == Set(all.map(\.id)))
            let mode = try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
    }

    @Test func anInterruptedExportResumesFromItsCheckpoint() async throws {
        try await TemporaryDirectory.with { dir in
            let target = try await Self.target(dir)
            let ledger = try Ledger(directory: dir.url.appendingPathComponent("state"))
            let out = dir.path("out.jsonl")
            let exporter = Exporter(target: target, ledger: ledger, options: .init(output: out, pageSize: 5))
            let task = Task {
                try await exporter.run { state in
                    if state.written >= 30 { withUnsafeCurrentTask { $0?.cancel() } }
                }
            }
            let first = try await task.value
            #expect(first.interrupted)
            #expect(!FileManager.default.fileExists(atPath: out), "no file under its name before it is complete")
            #expect(FileManager.default.fileExists(atPath: dir.path(".out.jsonl.partial")))
            // Garbage after the checkpoint (a crash mid-page) is cut away on resume.
            let handle = try #require(FileHandle(forWritingAtPath: dir.path(".out.jsonl.partial")))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("{\"half\": ".utf8))
            try handle.close()
            let second = try await exporter.run()
            #expect(second.resumed)
            #expect(!second.interrupted)
            #expect(second.state.written == 120)
            let ids = Self.readBack(out)
            #expect(ids.count == 120 && Set(ids).count == 120)
        }
    }

    /// A crash after a finished split file was renamed, before the next checkpoint: the re-run
    /// takes the file back and ends with the same files as an export that never stopped.
    @Test func aCrashRightAfterAFileWasRenamedResumes() async throws {
        try await TemporaryDirectory.with { dir in
            let target = try await Self.target(dir)
            let reference = Exporter(
                target: target, ledger: try Ledger(directory: dir.url.appendingPathComponent("ref-state")),
                options: .init(output: dir.path("ref"), format: .json, splitBy: .user, pageSize: 5))
            _ = try await reference.run()
            let ledger = try Ledger(directory: dir.url.appendingPathComponent("state"))
            let exporter = Exporter(
                target: target, ledger: ledger,
                options: .init(
                    output: dir.path("out"), format: .json, splitBy: .user, pageSize: 5, checkpointInterval: .zero))
            let task = Task {
                try await exporter.run { state in
                    if state.files.count >= 1 && state.fileCount >= 5 { withUnsafeCurrentTask { $0?.cancel() } }
                }
            }
            let first = try await task.value
            #expect(first.interrupted)
            let file = try #require(first.state.file)
            // What finish() would have done before the crash: the trailer, then the rename.
            let partial = dir.path("out/.\(file).partial")
            let handle = try #require(FileHandle(forWritingAtPath: partial))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("\n]\n".utf8))
            try handle.close()
            try FileManager.default.moveItem(atPath: partial, toPath: dir.path("out/" + file))
            let second = try await exporter.run()
            #expect(second.resumed && !second.interrupted)
            let names = try FileManager.default.contentsOfDirectory(atPath: dir.path("ref")).sorted()
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path("out")).sorted() == names)
            for name in names {
                #expect(Self.readBack(dir.path("out/" + name)) == Self.readBack(dir.path("ref/" + name)), "\(name)")
            }
        }
    }

    @Test func aDeletionBetweenPagesIsReportedAsACountMismatch() async throws {
        try await TemporaryDirectory.with { dir in
            let target = try await Self.target(dir, count: 60)
            let filter = try MemoryFilter.parse(jsonText: #"{"run_id": "run-2"}"#)
            var pager = ExportPager(
                target: target, pageSize: 3, state: try await ExportPager.start(target: target, filters: filter))
            var written: [String] = []
            var first = true
            while let (_, memories) = try await pager.next() {
                written += memories.map(\.id)
                if first {
                    // Deleting a memory already read shifts the later pages back by one.
                    try await target.store.delete(id: memories[0].id, in: .default)
                    first = false
                }
            }
            #expect(written.count == Set(written).count)
            #expect(pager.state.serverCount == 5)
            #expect(pager.state.read == 4, "one memory moved into the page already read")
        }
    }

    /// On a listing ordered newest first (as the hosted platform may order), a memory added
    /// between two reads pushes the last one of a page into the next: it is written once.
    @Test func aShiftedPageIsDeDuplicatedWithTheWindow() async throws {
        let target = NewestFirstTarget(count: 10)
        var pager = ExportPager(
            target: target, pageSize: 4, state: try await ExportPager.start(target: target, filters: nil))
        var written: [String] = []
        while let (_, memories) = try await pager.next() {
            written += memories.map(\.id)
            if written.count == 4 { await target.insertNewest() }
        }
        #expect(written.count == 10)
        #expect(Set(written).count == 10)
        #expect(pager.state.duplicates == 1)
    }
}

/// A listing ordered newest first, which `memport serve` (insertion order) never shows: only
/// `entities` and `memories(filter:page:pageSize:)` work.
actor NewestFirstTarget: MemoryTarget {
    private var memories: [Memory]
    private var next: Int
    nonisolated let description = "newest-first"

    init(count: Int) {
        memories = (0..<count).reversed().map { Memory(id: "m\($0)", memory: "x\($0)", scope: Scope(userID: "u")) }
        next = count
    }

    func insertNewest() {
        memories.insert(Memory(id: "m\(next)", memory: "new", scope: Scope(userID: "u")), at: 0)
        next += 1
    }

    func entities() async throws -> [Entity] { [Entity(id: "1", name: "u", type: .user)] }

    func memories(filter: MemoryFilter, page: Int, pageSize: Int) async throws -> Page<Memory> {
        let start = (page - 1) * pageSize
        let slice = start < memories.count ? Array(memories[start..<min(start + pageSize, memories.count)]) : []
        return Page(count: memories.count, results: slice)
    }

    func add(_ request: AddRequest) async throws -> AddOutcome { throw MemoryAPIError(.validation, "read only") }
    func job(_ eventID: String) async throws -> MemoryJob { throw MemoryAPIError(.validation, "read only") }
    func memories(importKey: String, scope: Scope?) async throws -> [Memory] { [] }
    func batchUpdate(_ items: [BatchUpdateItem]) async throws { throw MemoryAPIError(.validation, "read only") }
    func batchDelete(_ items: [BatchDeleteItem]) async throws { throw MemoryAPIError(.validation, "read only") }
    func retryCount() async -> Int { 0 }
    func close() async {}
}
