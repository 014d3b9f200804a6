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

    @Option(help: "embedded:PATH or an http(s):// base URL.")
    var target: TargetSpec

    @Option(help: "The backup directory.")
    var output: String

    @Flag(help: "Compress the files with gzip.")
    var gzip = false

    @Option(help: "The longest time between two checkpoints, in seconds (0: after every page).")
    var checkpointSeconds = 1.0

    @Flag(help: "Forget the checkpoint of an unfinished backup into the same directory and start over.")
    var restart = false

    @OptionGroup(title: "Target") var connection: ConnectionOptions

    @OptionGroup(title: "State") var state: StateOptions

    func run() async throws {
        let result: (ExportSummary, BackupManifest?)
        let (spec, connection, stateDirectory, wait) = (target, self.connection, state.stateDirectory, state.wait)
        let (output, gzip) = (self.output, self.gzip)
        do {
            let (restart, checkpointSeconds) = (self.restart, self.checkpointSeconds)
            result = try await JobRunner.interruptible {
                try await JobRunner.locked(stateDirectory, wait: wait) {
                    let ledger = try Ledger(directory: stateDirectory)
                    let target = try connection.open(spec)
                    let backup = Backup(
                        target: target, ledger: ledger, directory: output, gzip: gzip,
                        memportVersion: MemportVersion.current, restart: restart,
                        checkpointInterval: .milliseconds(Int64(max(checkpointSeconds, 0) * 1000)),
                        crashPoint: ExportCrashPoint(ProcessInfo.processInfo.environment["MEMPORT_TEST_CRASH"]))
                    return try await closing(target) { try await backup.run() }
                }
            }
        } catch {
            throw JobRunner.fail(error)
        }
        print(result.0.rendered())
        guard let manifest = result.1 else { throw ExitCode(ExitStatus.interrupted) }
        print(
            "  manifest: \(output)/\(BackupManifest.fileName) (\(manifest.files.count) files, \(manifest.total) memories"
                + (manifest.serverCount.map { "; the source counted \($0)" } ?? "") + ")")
    }
}
