import ArgumentParser
import Foundation
import MemoryAPI
import Pipeline

/// `memport restore DIR --target T`: checks the manifest, then imports the backup.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into a target, refusing a missing or corrupted file before importing anything.",
        discussion: """
            Keeps scope, metadata, immutable, expiration_date and created_at (as timestamp, to the \
            second). --mode add relies on import keys, so a second restore adds nothing; --mode upsert \
            updates memories the target already holds by batch_update and adds the rest.
            """
    )

    @Argument(help: "The backup directory.")
    var directory: String

    @Option(help: "add or upsert.")
    var mode: Restore.Mode = .add

    @Option(name: .customLong("api-key-env"), help: "The environment variable holding the API key.")
    var apiKeyEnv = "MEM0_API_KEY"

    @Option(help: "Write the summary as JSON to this file.")
    var summaryJson: String?

    @OptionGroup var job: JobOptions

    func run() async throws {
        var template = PipelineSpec(sources: [])
        job.apply(to: &template)
        let restore = Restore(jobs: ImportJob(stateDirectory: job.stateDirectory, apiKeyVariable: apiKeyEnv))
        let display = ProgressDisplay(mode: job.progress)
        let summaries: [ImportSummary]
        let (directory, mode, spec) = (self.directory, self.mode, template)
        do {
            summaries = try await JobRunner.interruptible {
                try await restore.run(directory: directory, template: spec, mode: mode, progress: display.update)
            }
        } catch {
            display.done()
            throw JobRunner.fail(error)
        }
        display.done()
        var worst: Int32 = ExitStatus.ok
        for summary in summaries {
            print(JobRunner.render(summary))
            let code = JobRunner.exitCode(summary, failOnRejects: template.failOnRejects)
            if code != ExitStatus.ok && worst == ExitStatus.ok { worst = code }
        }
        if let summaryJson, let last = summaries.last {
            do {
                try last.write(to: summaryJson)
            } catch {
                FileHandle.standardError.write(Data("memport: cannot write \(summaryJson): \(error)\n".utf8))
                throw ExitCode(ExitStatus.failure)
            }
        }
        if worst != ExitStatus.ok { throw ExitCode(worst) }
    }
}
