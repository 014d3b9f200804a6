import ArgumentParser
import Foundation

/// The `memport` command: moves memories in and out of Mem0 at scale.
@main
struct Memport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memport",
        abstract: "Move memories in and out of the Mem0 memory platform at scale.",
        discussion: """
            Imports chat logs and memory dumps as scoped memories, exports, backs up, restores and \
            migrates projects, and serves a local Mem0-compatible API on SQLite.
            """,
        version: MemportVersion.current,

        subcommands: [
            ImportCommand.self, RunCommand.self, ResumeCommand.self, StatusCommand.self, JobsCommand.self,
            RejectsCommand.self, ServeCommand.self, FiltersCommand.self, ExportCommand.self, BackupCommand.self,
            RestoreCommand.self, MigrateCommand.self, VerifyCommand.self,
        ]
    )

    /// Runs the command, answering a usage error (an unknown flag, a missing argument, a value
    /// `validate()` refuses) with exit 2 as the README says, not ArgumentParser's 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.usage)
            }
            exit(withError: error)
        }
    }
}

/// The version memport reports and writes into manifests.
enum MemportVersion {
    static let current = "0.1.0"
}
