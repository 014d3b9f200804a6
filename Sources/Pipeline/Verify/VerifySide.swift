import Foundation
import MemoryAPI
import Reading

/// One side of `memport verify`: a target (`embedded:PATH`, `http(s)://`, `mem0`), an export file, a
/// backup directory (checked against its manifest first), or a self-hosted Mem0 store read in
/// place (`chroma:PATH`, `mem0-ts:PATH`, `postgres://…`).
public enum VerifySide: Sendable, Hashable, CustomStringConvertible {
    /// A target spec.
    case target(String)
    /// An export file (NDJSON, JSON array or CSV, gzip or not).
    case file(String)
    /// A backup directory.
    case backup(String)
    /// A self-hosted Mem0 store, its memories as mem0's OSS read path maps them.
    case store(StoreSpec)

    /// Classifies an argument: a store spec, a target prefix, a directory with a manifest, or a file.
    ///
    /// - Parameter collection: the `--collection` flag, for a store that names none.
    /// - Throws: `PipelineError` `.inputNotFound` when the path does not exist, `.usage` for a
    ///   malformed store spec, or for `mem0` when `MEM0_BASE_URL` is not a URL.
    public static func parse(_ argument: String, collection: String? = nil) throws -> VerifySide {
        if let store = try StoreSpec.parse(argument, collection: collection) { return .store(store) }
        // `mem0` is named by the URL it stands for, so the report says which Mem0 was compared.
        if argument == TargetSpec.mem0 { return .target(try TargetSpec(argument).description) }
        if argument.hasPrefix("embedded:") || argument.hasPrefix("http://") || argument.hasPrefix("https://") {
            return .target(argument)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
            throw PipelineError(.inputNotFound, "\(argument) does not exist (a target is embedded:PATH, a URL or mem0)")
        }
        return isDirectory.boolValue ? .backup(argument) : .file(argument)
    }

    /// The argument as given.
    public var description: String {
        switch self {
        case .target(let t): return t
        case .file(let f): return f
        case .backup(let d): return d
        case .store(let s): return s.description
        }
    }

    /// Every memory of the side, one at a time.
    ///
    /// - Parameter open: opens a target spec.
    /// - Returns: where the side's own counts disagree with what it gave: for a target, a scope
    ///   whose entity list count, listing count and listed memories differ, or a total count
    ///   above the memories listed; for a backup, a source count above the memories it holds.
    ///   Empty when every count agrees.
    /// - Throws: `PipelineError` for unreadable files (naming file, line and path) or a damaged
    ///   backup; the target's `MemoryAPIError`.
    @discardableResult
    public func forEach(
        open: (String) throws -> any MemoryTarget, _ body: (Memory) throws -> Void
    ) async throws -> [String] {
        switch self {
        case .target(let spec):
            let target = try open(spec)
            var problems: [String] = []
            do {
                var pager = ExportPager(
                    target: target, state: try await ExportPager.start(target: target, filters: nil))
                pager.tallies = true
                var listed = 0
                while let next = try await pager.next() {
                    listed += next.memories.count
                    for m in next.memories { try body(m) }
                }
                for tally in pager.finishedPasses {
                    let entity = tally.pass.entityTotal
                    if (entity != nil && entity != tally.reported) || (tally.reported.map { $0 != tally.read } ?? false)
                    {
                        problems.append(
                            "\(tally.pass.label): the entity list counts \(entity.map { "\($0)" } ?? "-"), its listing "
                                + "counts \(tally.reported.map { "\($0)" } ?? "-"), \(tally.read) were listed")
                    }
                }
                if let total = pager.state.serverTotal, total != listed {
                    problems.append(
                        "the side counts \(total) memories in all, \(listed) were listed by entity "
                            + (total > listed ? "(\(total - listed) it holds could not be listed)" : ""))
                }
            } catch {
                await target.close()
                throw error
            }
            await target.close()
            return problems
        case .file(let path):
            try Self.read(file: path, body)
            return []
        case .backup(let directory):
            let manifest = try BackupManifest.verified(directory: directory)
            for file in manifest.files { try Self.read(file: directory + "/" + file.name, body) }
            if let count = manifest.serverCount, count != manifest.total {
                return [
                    "the backup holds \(manifest.total) memories, its source counted \(count) when it was taken"
                ]
            }
            return []
        case .store(let spec):
            // Every point is read; one that is no memory (no data) has nothing to compare, and
            // is named, so an identical answer never hides it.
            var problems: [String] = []
            let pages = StorePages(spec)
            defer { pages.close() }
            while let page = try await pages.next() {
                for result in page {
                    switch result {
                    case .success(let memory): try body(memory)
                    case .failure(let error): problems.append("not a memory: \(error)")
                    }
                }
            }
            return problems
        }
    }

    /// Reads an export file: each record decoded as a memory (a CSV row through memport's columns).
    static func read(file path: String, _ body: (Memory) throws -> Void) throws {
        let source = InputSource(path)
        let stream = try ByteStream(source)
        let head = try stream.peek()
        let format = FormatSniffer.detect(name: path, extension: source.formatExtension, head: head)
        let reader: any RecordReader
        switch format {
        case .ndjson: reader = NDJSONReader(stream: stream, maxRecordBytes: 64 << 20)
        case .json: reader = JSONStreamReader(stream: stream, maxRecordBytes: 64 << 20)
        case .csv: reader = CSVReader(stream: stream, maxRecordBytes: 64 << 20)
        }
        let decoder = JSONDecoder()
        while let item = try reader.next() {
            switch item {
            case .reject(let reject):
                throw PipelineError(reject.reason, reject.message, at: reject.locator)
            case .record(let record):
                do {
                    switch record.body {
                    case .json(let bytes): try body(try decoder.decode(Memory.self, from: Data(bytes)))
                    case .row(let row): try body(try MemoryCSV.memory(from: row))
                    }
                } catch let error as PipelineError {
                    var located = error
                    located.locator = record.locator
                    throw located
                } catch {
                    throw PipelineError(.wrongType, MemoryAPIError.describe(error), at: record.locator)
                }
            }
        }
    }
}
