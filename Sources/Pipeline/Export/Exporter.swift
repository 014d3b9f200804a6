import Foundation
import MemoryAPI

/// Exports a target to files: a complete, resumable dump in constant memory.
///
/// Pages stream straight to the writer while the next pages are already requested. At least
/// once a second (`checkpointInterval`), when a file is finished, and when the export stops
/// (finished, interrupted or failed), the file is flushed and synced and the checkpoint (pass,
/// next page, ids of the last pages, file offset) goes to the ledger. Running the same export
/// again after an interruption continues from the last checkpoint, writing again only what
/// came after it; files appear under their names only when complete.
///
/// ```swift
/// let summary = try await Exporter(target: target, ledger: ledger, options: .init(output: "all.jsonl")).run()
/// ```
public struct Exporter: Sendable {
    /// What to export and how.
    public struct Options: Sendable, Hashable {
        /// The output file, or the output directory with `splitBy`.
        public var output: String
        /// The container.
        public var format: ExportFormat
        /// Compress with gzip.
        public var gzip: Bool
        /// One file per entity of this type.
        public var splitBy: EntityType?
        /// The user's v2 filter; nil exports every entity.
        public var filters: MemoryFilter?
        /// Memories per page, at most 200.
        public var pageSize: Int
        /// Page requests running ahead of the page being written.
        public var prefetch: Int
        /// The longest time between two checkpoints.
        public var checkpointInterval: Duration

        /// Creates options.
        public init(
            output: String, format: ExportFormat = .ndjson, gzip: Bool = false, splitBy: EntityType? = nil,
            filters: MemoryFilter? = nil, pageSize: Int = 200, prefetch: Int = 4,
            checkpointInterval: Duration = .seconds(1)
        ) {
            self.output = output
            self.format = format
            self.gzip = gzip
            self.splitBy = splitBy
            self.filters = filters
            self.pageSize = pageSize
            self.prefetch = prefetch
            self.checkpointInterval = checkpointInterval
        }
    }

    /// The source.
    public let target: any MemoryTarget
    /// Where checkpoints go.
    public let ledger: Ledger
    /// What to do.
    public let options: Options

    /// Creates an exporter.
    public init(target: any MemoryTarget, ledger: Ledger, options: Options) {
        self.target = target
        self.ledger = ledger
        self.options = options
    }

    /// The absolute output path.
    public var outputPath: String { URL(fileURLWithPath: options.output).standardizedFileURL.path }

    /// The export's id: the same target, output and options give the same id, so a re-run resumes.
    public var exportID: String {
        var parts = [
            "memport-export-v1", target.description, outputPath, options.format.rawValue,
            options.gzip ? "gzip" : "plain", options.splitBy?.rawValue ?? "-", String(options.pageSize),
        ]
        parts.append(options.filters?.json.jsonString() ?? "-")
        return String(SHA256.hex(parts.joined(separator: "\u{1E}")).prefix(16))
    }

    /// Runs (or resumes) the export.
    ///
    /// - Parameter progress: called after every page with where the export stands.
    /// - Returns: the summary; `interrupted` when the task was cancelled (Ctrl-C), checkpointed.
    /// - Throws: `PipelineError` (`.output`, `.ledger`) or the target's `MemoryAPIError`; the
    ///   checkpoint of the last complete page stays in the ledger.
    public func run(progress: @escaping @Sendable (ExportCheckpoint) -> Void = { _ in }) async throws -> ExportSummary {
        let id = exportID
        let split = options.splitBy != nil
        let directory = split ? outputPath : URL(fileURLWithPath: outputPath).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw PipelineError(.output, "cannot create \(directory): \(error.localizedDescription)")
        }
        let started = ContinuousClock.now
        var state: ExportCheckpoint
        let resumed: Bool
        if let saved = try await ledger.exportCheckpoint(id: id) {
            state = saved
            resumed = true
        } else {
            let ext = options.format.fileExtension + (options.gzip ? ".gz" : "")
            state = try await ExportPager.start(
                target: target, filters: options.filters, splitBy: options.splitBy,
                single: URL(fileURLWithPath: outputPath).lastPathComponent, fileExtension: ext)
            resumed = false
        }
        var pager = ExportPager(
            target: target, pageSize: options.pageSize, prefetch: options.prefetch, state: state)
        var writer: ExportFileWriter?
        if let file = state.file {
            writer = try ExportFileWriter(
                path: directory + "/" + file, format: options.format, gzip: options.gzip,
                resume: (state.fileOffset, state.fileCount))
        }
        let clock = ContinuousClock()
        var lastCheckpoint = clock.now
        var unsaved = false
        /// Syncs the file and records where the export stands; the pages since the last
        /// checkpoint are then safe.
        func checkpoint() async throws {
            guard unsaved else { return }
            if let out = writer {
                pager.state.fileOffset = try out.checkpoint()
                pager.state.fileCount = out.count
            }
            try await ledger.saveExport(
                id: id, target: target.description, output: outputPath, checkpoint: pager.state, finished: false)
            lastCheckpoint = clock.now
            unsaved = false
        }
        var interrupted = false
        do {
            while true {
                if Task.isCancelled {
                    interrupted = true
                    break
                }
                let fetched: (pass: ExportPass, memories: [Memory])?
                do {
                    fetched = try await pager.next()
                } catch  where Task.isCancelled {
                    interrupted = true
                    break
                }
                guard let fetched else { break }
                let (pass, memories) = fetched
                if writer == nil || pager.state.file != pass.file {
                    if let current = writer, let name = pager.state.file {
                        try current.finish()
                        pager.state.files.append(ExportedFile(name: name, count: current.count))
                    }
                    writer = try ExportFileWriter(
                        path: directory + "/" + pass.file, format: options.format, gzip: options.gzip, resume: nil)
                    pager.state.file = pass.file
                    unsaved = true
                    try await checkpoint()
                }
                guard let out = writer else { break }
                for memory in memories { try out.write(memory) }
                pager.state.written += memories.count
                unsaved = true
                if clock.now - lastCheckpoint >= options.checkpointInterval { try await checkpoint() }
                progress(pager.state)
            }
        } catch {
            // What was written before the failure stays resumable.
            pager.cancel()
            try? await checkpoint()
            throw error
        }
        pager.cancel()
        if interrupted { try await checkpoint() }
        if !interrupted {
            if let current = writer, let name = pager.state.file {
                try current.finish()
                pager.state.files.append(ExportedFile(name: name, count: current.count))
            } else if pager.state.file == nil && !split {
                // Nothing matched: still write a complete, empty file.
                let empty = try ExportFileWriter(
                    path: outputPath, format: options.format, gzip: options.gzip, resume: nil)
                try empty.finish()
                pager.state.files.append(
                    ExportedFile(name: URL(fileURLWithPath: outputPath).lastPathComponent, count: 0))
            }
            pager.state.file = nil
            try await ledger.saveExport(
                id: id, target: target.description, output: outputPath, checkpoint: pager.state, finished: true)
        }
        return ExportSummary(
            exportID: id, target: target.description, output: outputPath, directory: directory, state: pager.state,
            resumed: resumed, interrupted: interrupted, elapsed: Self.seconds(ContinuousClock.now - started))
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
