import ArgumentParser
import Foundation
import MemoryAPI
import Pipeline

/// `memport backup --target T --output DIR`: an export plus `manifest.json`.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up every memory of a target into a directory with a manifest (counts, sha256).",
        discussion: "Resumable like export: run the same command again after an interruption."
    )

    @Option(help: "embedded:PATH, an http(s):// base URL, or mem0 ($MEM0_BASE_URL, else the hosted platform).")
    var target: String

    @Option(help: "The backup directory.")
    var output: String

    @Flag(help: "Compress the files with gzip.")
    var gzip = false

    @OptionGroup var source: SourceOptions

    func run() async throws {
        let result: (ExportSummary, BackupManifest?)
        do {
            let ledger = try Ledger(directory: source.stateDirectory)
            let target = try source.open(self.target)
            let backup = Backup(
                target: target, ledger: ledger, directory: output, gzip: gzip, memportVersion: MemportVersion.current)
            result = try await JobRunner.interruptible { try await closing(target) { try await backup.run() } }
        } catch {
            throw JobRunner.fail(error)
        }
        print(result.0.rendered())
        guard let manifest = result.1 else { throw ExitCode(ExitStatus.interrupted) }
        print(
            "  manifest: \(output)/\(BackupManifest.fileName) (\(manifest.files.count) files, \(manifest.total) memories)"
        )
    }
}
