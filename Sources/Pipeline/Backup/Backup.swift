import Foundation
import MemoryAPI

/// `memport backup`: an export of every entity into a directory, then `manifest.json` with the
/// files' counts and SHA-256. The manifest is written last (atomically), so a directory with a
/// manifest holds a complete backup; an interrupted backup resumes like an export.
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

    /// Creates a backup runner.
    public init(target: any MemoryTarget, ledger: Ledger, directory: String, gzip: Bool, memportVersion: String) {
        self.target = target
        self.ledger = ledger
        self.directory = URL(fileURLWithPath: directory).standardizedFileURL.path
        self.gzip = gzip
        self.memportVersion = memportVersion
    }

    /// The file the memories go to.
    public var dataFile: String { "memories.jsonl" + (gzip ? ".gz" : "") }

    /// Runs (or resumes) the backup.
    ///
    /// - Returns: the export's summary, and the manifest (nil when interrupted).
    public func run(progress: @escaping @Sendable (ExportCheckpoint) -> Void = { _ in }) async throws -> (
        ExportSummary, BackupManifest?
    ) {
        let exporter = Exporter(
            target: target, ledger: ledger,
            options: .init(output: directory + "/" + dataFile, format: .ndjson, gzip: gzip))
        let summary = try await exporter.run(progress: progress)
        guard !summary.interrupted else { return (summary, nil) }
        var files: [BackupManifest.File] = []
        for file in summary.state.files {
            let (sha, bytes) = try BackupManifest.digest(of: directory + "/" + file.name)
            files.append(BackupManifest.File(name: file.name, count: file.count, bytes: bytes, sha256: sha))
        }
        let manifest = BackupManifest(
            memportVersion: memportVersion, source: target.description, createdAt: MemoryTimestamp.format(Date()),
            entities: summary.state.entities, format: .ndjson, gzip: gzip, files: files)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(manifest), to: directory + "/" + BackupManifest.fileName)
        return (summary, manifest)
    }
}
