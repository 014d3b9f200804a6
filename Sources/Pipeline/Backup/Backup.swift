import Foundation
import MemoryAPI
import Reading

/// `memport backup`: an export of every entity into a directory, then `manifest.json` with the
/// files' counts and SHA-256 and the source's own count. The manifest is written last
/// (atomically), and only after every file was read back and holds exactly the memories counted
/// while it was written, so a directory with a manifest holds a complete backup; an interrupted
/// backup resumes like an export.
public struct Backup: Sendable {
    /// The source.
    public let target: any MemoryTarget
    /// Where export checkpoints go.
    public let ledger: Ledger
    /// The backup directory.
    public let directory: String
    /// Compress the files.
    public let gzip: Bool
    /// The memport version for the manifest.
    public let memportVersion: String
    /// Drop the checkpoint of an unfinished backup and start over.
    public var restart = false
    /// A test hook: where the process kills itself (see `ExportCrashPoint`).
    public var crashPoint: ExportCrashPoint?
    /// The longest time between two checkpoints.
    public var checkpointInterval: Duration = .seconds(1)

    /// Creates a backup runner.
    public init(
        target: any MemoryTarget, ledger: Ledger, directory: String, gzip: Bool, memportVersion: String,
        restart: Bool = false, checkpointInterval: Duration = .seconds(1), crashPoint: ExportCrashPoint? = nil
    ) {
        self.target = target
        self.ledger = ledger
        self.directory = URL(fileURLWithPath: directory).standardizedFileURL.path
        self.gzip = gzip
        self.memportVersion = memportVersion
        self.restart = restart
        self.crashPoint = crashPoint
        self.checkpointInterval = checkpointInterval
    }

    /// The file the memories go to.
    public var dataFile: String { "memories.jsonl" + (gzip ? ".gz" : "") }

    /// Runs (or resumes) the backup.
    ///
    /// - Returns: the export's summary, and the manifest (nil when interrupted).
    /// - Throws: `PipelineError` `.output` when a file does not hold what was counted into it
    ///   (both numbers named; no manifest is written), and the export's errors.
    public func run(progress: @escaping @Sendable (ExportCheckpoint) -> Void = { _ in }) async throws -> (
        ExportSummary, BackupManifest?
    ) {
        let exporter = Exporter(
            target: target, ledger: ledger,
            options: .init(
                output: directory + "/" + dataFile, format: .ndjson, gzip: gzip,
                checkpointInterval: checkpointInterval, restart: restart, crashPoint: crashPoint))
        let summary = try await exporter.run(progress: progress)
        guard !summary.interrupted else { return (summary, nil) }
        var files: [BackupManifest.File] = []
        for file in summary.state.files {
            let path = directory + "/" + file.name
            let (sha, bytes) = try BackupManifest.digest(of: path)
            let held = try BackupManifest.records(in: path)
            guard held.count == file.count, held.cutShort == nil else {
                throw PipelineError(
                    .output,
                    "\(path) holds \(held.count) memories\(held.cutShort.map { " (\($0))" } ?? "") but \(file.count) "
                        + "were written to it: no manifest was written; run the backup again with --restart")
            }
            files.append(BackupManifest.File(name: file.name, count: file.count, bytes: bytes, sha256: sha))
        }
        let manifest = BackupManifest(
            memportVersion: memportVersion, source: target.description, createdAt: MemoryTimestamp.format(Date()),
            entities: summary.state.entities, format: .ndjson, gzip: gzip, files: files,
            serverCount: summary.state.serverTotal)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(manifest), to: directory + "/" + BackupManifest.fileName)
        return (summary, manifest)
    }
}
