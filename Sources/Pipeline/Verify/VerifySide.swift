import Foundation
import MemoryAPI
import OSSStores

/// One side of `memport verify`: a target (`embedded:PATH`, `http(s)://`), an export file, or a
/// backup directory (checked against its manifest first).
public enum VerifySide: Sendable, Hashable, CustomStringConvertible {
    /// A target spec.
    case target(String)
    /// An export file (NDJSON, JSON array or CSV, gzip or not).
    case file(String)
    /// A backup directory.
    case backup(String)
    /// A self-hosted Mem0 store, read in place (its memories as mem0's OSS read path maps them).
    case store(StoreSpec)

    /// Classifies an argument: a store spec, a target prefix, a directory with a manifest, or a file.
    ///
    /// - Throws: `PipelineError` `.inputNotFound` when the path does not exist.
    public static func parse(_ argument: String) throws -> VerifySide {
        if let store = try StoreSources.spec(argument) { return .store(store) }
        if argument.hasPrefix("embedded:") || argument.hasPrefix("http://") || argument.hasPrefix("https://") {
            return .target(argument)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
            throw PipelineError(.inputNotFound, "\(argument) does not exist (a target is embedded:PATH or a URL)")
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
    /// - Throws: `PipelineError` for unreadable files (naming file, line and path) or a damaged
    ///   backup; the target's `MemoryAPIError`.
    public func forEach(
        open: (String) throws -> any MemoryTarget, _ body: (Memory) throws -> Void
    ) async throws {
        switch self {
        case .target(let spec):
            let target = try open(spec)
            do {
                var pager = ExportPager(
                    target: target, state: try await ExportPager.start(target: target, filters: nil))
                while let next = try await pager.next() {
                    for m in next.memories { try body(m) }
                }
            } catch {
                await target.close()
                throw error
            }
            await target.close()
        case .file(let path):
            try Self.read(file: path, body)
        case .backup(let directory):
            let manifest = try BackupManifest.verified(directory: directory)
            for file in manifest.files { try Self.read(file: directory + "/" + file.name, body) }
        case .store(let spec):
            // A point that is no memory (no data) is a reject on import: it has nothing to compare.
            try StoreSources.forEach(spec) { batch in
                for case .success(let memory) in batch { try body(memory) }
            }
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
                    case .json(let data): try body(try decoder.decode(Memory.self, from: data))
                    case .row(let row): try body(try ExportFormat.memory(fromCSV: row))
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
