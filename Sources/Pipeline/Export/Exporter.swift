import Foundation
import MemoryAPI
import Reading

/// Exports a target, or a self-hosted Mem0 store read in place, to files: a complete, resumable
/// dump in constant memory.
///
/// A target is paged through its listings (`ExportPager`); a store in its own key order
/// (`StorePager`), its checkpoint holding the store's key. Both write the same records.
///
/// Pages stream straight to the writer while the next pages are already requested. At least
/// once a second (`checkpointInterval`), between two pages, and when the export stops
/// (interrupted, or the target failed), the file is flushed and fsynced and then the checkpoint
/// (pass, next page, ids of the last pages, file offset) goes to the ledger: a checkpoint never
/// covers a byte that is not on the disk. Running the same export again after an interruption,
/// a crash or a full disk cuts the partial file back to the last checkpoint and continues from
/// there; files appear under their names only when complete. An output of `-` streams to
/// standard output instead, without checkpoints.
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
        /// Drop the ledger's checkpoint of this export and start over.
        public var restart: Bool
        /// A test hook: where the process kills itself (see `ExportCrashPoint`).
        public var crashPoint: ExportCrashPoint?

        /// True when `output` is `-` or a stream (`/dev/null`, a FIFO, a terminal): the export
        /// streams there, from the start, rather than writing a file it renames into place.
        public var isStandardOutput: Bool { output == "-" || AtomicFile.isStream(output) }

        /// Creates options.
        public init(
            output: String, format: ExportFormat = .ndjson, gzip: Bool = false, splitBy: EntityType? = nil,
            filters: MemoryFilter? = nil, pageSize: Int = 200, prefetch: Int = 4,
            checkpointInterval: Duration = .seconds(1), restart: Bool = false, crashPoint: ExportCrashPoint? = nil
        ) {
            self.output = output
            self.format = format
            self.gzip = gzip
            self.splitBy = splitBy
            self.filters = filters
            self.pageSize = pageSize
            self.prefetch = prefetch
            self.checkpointInterval = checkpointInterval
            self.restart = restart
            self.crashPoint = crashPoint
        }
    }

    /// The source.
    public let source: ExportSource
    /// Where checkpoints go.
    public let ledger: Ledger
    /// What to do.
    public let options: Options

    /// Creates an exporter of a source.
    public init(source: ExportSource, ledger: Ledger, options: Options) {
        self.source = source
        self.ledger = ledger
        self.options = options
    }

    /// Creates an exporter of a target.
    public init(target: any MemoryTarget, ledger: Ledger, options: Options) {
        self.init(source: .target(target), ledger: ledger, options: options)
    }

    /// Creates an exporter of a self-hosted Mem0 store.
    public init(store: StoreSpec, ledger: Ledger, options: Options) {
        self.init(source: .store(store), ledger: ledger, options: options)
    }

    /// The absolute output path.
    public var outputPath: String {
        options.isStandardOutput ? "-" : URL(fileURLWithPath: options.output).standardizedFileURL.path
    }

    /// The export's id: the same target, output and options give the same id, so a re-run resumes.
    public var exportID: String {
        var parts = [
            "memport-export-v1", source.description, outputPath, options.format.rawValue,
            options.gzip ? "gzip" : "plain", options.splitBy?.rawValue ?? "-", String(options.pageSize),
        ]
        parts.append(options.filters?.json.jsonString() ?? "-")
        return String(SHA256.hex(parts.joined(separator: "\u{1E}")).prefix(16))
    }

    /// Runs (or resumes) the export.
    ///
    /// The loop keeps one rule: the ledger's checkpoint only ever covers bytes that are on the
    /// disk. A page is written whole before any checkpoint can include it; a checkpoint syncs the
    /// file first and records its offset only after the sync succeeded; after a write or sync
    /// error nothing more is recorded, so the last checkpoint (which the next run cuts the
    /// partial file back to) stays true.
    ///
    /// - Parameter progress: called after every page with where the export stands.
    /// - Returns: the summary; `interrupted` when the task was cancelled (Ctrl-C), checkpointed.
    /// - Throws: `PipelineError` (`.output` naming the file and the cause, `.ledger`) or the
    ///   target's `MemoryAPIError`; the checkpoint of the last synced page stays in the ledger.
    public func run(progress: @escaping @Sendable (ExportCheckpoint) -> Void = { _ in }) async throws -> ExportSummary {
        if case .store = source { try StorePager.check(filter: options.filters, splitBy: options.splitBy) }
        if options.isStandardOutput { return try await runToStandardOutput(progress: progress) }
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
        if options.restart { try await ledger.discardExport(id: id) }
        if let saved = try await ledger.exportCheckpoint(id: id) {
            state = saved
            resumed = true
        } else {
            let ext = options.format.fileExtension + (options.gzip ? ".gz" : "")
            state = try await plan(single: URL(fileURLWithPath: outputPath).lastPathComponent, fileExtension: ext)
            resumed = false
        }
        var crash = ExportCrashCounter(options.crashPoint)
        var pager = makePager(at: state)
        var writer: ExportFileWriter?
        if let file = state.file {
            writer = try ExportFileWriter(
                path: directory + "/" + file, format: options.format, gzip: options.gzip,
                resume: (state.fileOffset, state.fileCount))
        }
        let clock = ContinuousClock()
        var lastCheckpoint = clock.now
        var unsaved = false
        /// Syncs the file, then records where the export stands: called only between pages,
        /// when every page the state counts is in the writer.
        func checkpoint() async throws {
            guard unsaved else { return }
            if let out = writer {
                pager.state.fileOffset = try out.checkpoint()
                pager.state.fileCount = out.count
            }
            crash.reached(.afterSync)
            try await ledger.saveExport(
                id: id, target: source.description, output: outputPath, checkpoint: pager.state, finished: false)
            lastCheckpoint = clock.now
            unsaved = false
        }
        var interrupted = false
        while true {
            let step: ExportPager.Step
            do {
                step = try await pager.nextUnlessCancelled()
            } catch {
                // The target failed between two pages: every page counted is written, so what
                // was written stays resumable.
                pager.cancel()
                try? await checkpoint()
                throw error
            }
            guard case .page(let pass, let memories) = step else {
                interrupted = step.isInterrupted
                break
            }
            do {
                if writer == nil || pager.state.file != pass.file {
                    if let current = writer, let name = pager.state.file {
                        try current.finish()
                        crash.reached(.afterRename)
                        pager.state.files.append(ExportedFile(name: name, count: current.count))
                    }
                    // No checkpoint here: the page that opened the file is not written yet,
                    // and a checkpoint now would record it as done (the page a resumed export
                    // used to lose).
                    writer = try ExportFileWriter(
                        path: directory + "/" + pass.file, format: options.format, gzip: options.gzip, resume: nil)
                    pager.state.file = pass.file
                    pager.state.fileOffset = 0
                    pager.state.fileCount = 0
                }
                guard let out = writer else { break }
                for memory in memories { try out.write(memory) }
                pager.state.written += memories.count
                unsaved = true
                crash.reached(.afterWrite)
                if clock.now - lastCheckpoint >= options.checkpointInterval { try await checkpoint() }
            } catch {
                // A write, sync, rename or ledger failure: the ledger keeps the last checkpoint,
                // whose bytes are on the disk; nothing after it is recorded.
                pager.cancel()
                throw error
            }
            progress(pager.state)
        }
        pager.cancel()
        if interrupted { try await checkpoint() }
        if !interrupted {
            if let current = writer, let name = pager.state.file {
                try current.finish()
                crash.reached(.afterRename)
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
                id: id, target: source.description, output: outputPath, checkpoint: pager.state, finished: true)
        }
        return ExportSummary(
            exportID: id, target: source.description, output: outputPath, directory: directory, state: pager.state,
            resumed: resumed, interrupted: interrupted, elapsed: Self.seconds(ContinuousClock.now - started))
    }

    /// Streams the export to standard output: no checkpoints (a pipe cannot be cut back), so an
    /// interrupted run is started again from the beginning.
    private func runToStandardOutput(
        progress: @escaping @Sendable (ExportCheckpoint) -> Void
    ) async throws -> ExportSummary {
        guard options.splitBy == nil else {
            throw PipelineError(.usage, "--split-by writes one file per entity and needs a directory, not -")
        }
        let started = ContinuousClock.now
        var pager = makePager(at: try await plan(single: "-", fileExtension: ""))
        let out = try ExportFileWriter(stream: options.output, format: options.format, gzip: options.gzip)
        var interrupted = false
        do {
            while true {
                let step = try await pager.nextUnlessCancelled()
                guard case .page(_, let memories) = step else {
                    interrupted = step.isInterrupted
                    break
                }
                for memory in memories { try out.write(memory) }
                pager.state.written += memories.count
                progress(pager.state)
            }
        } catch {
            pager.cancel()
            throw error
        }
        pager.cancel()
        if interrupted {
            _ = try? out.checkpoint()
        } else {
            try out.finish()
            pager.state.files.append(ExportedFile(name: options.output, count: out.count))
        }
        return ExportSummary(
            exportID: exportID, target: source.description, output: options.output, directory: "", state: pager.state,
            resumed: false, interrupted: interrupted, elapsed: Self.seconds(ContinuousClock.now - started))
    }

    /// The plan of a new export: the target's passes (entities, or the filter), or a store's one pass.
    private func plan(single: String, fileExtension: String) async throws -> ExportCheckpoint {
        switch source {
        case .target(let target):
            return try await ExportPager.start(
                target: target, filters: options.filters, splitBy: options.splitBy, single: single,
                fileExtension: fileExtension)
        case .store(let spec):
            return try StorePager.start(
                spec: spec, filters: options.filters, splitBy: options.splitBy, single: single)
        }
    }

    /// The pager of the source, at a checkpoint.
    private func makePager(at state: ExportCheckpoint) -> any ExportPageSource {
        switch source {
        case .target(let target):
            return ExportPager(target: target, pageSize: options.pageSize, prefetch: options.prefetch, state: state)
        case .store(let spec):
            return StorePager(
                spec: spec, filter: options.filters, pageSize: options.pageSize, readsAhead: options.prefetch > 0,
                state: state)
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
