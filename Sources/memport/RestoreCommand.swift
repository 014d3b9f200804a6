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

    @OptionGroup(title: "Target") var target: TargetOptions

    @OptionGroup(title: "Delivery") var delivery: DeliveryOptions

    @OptionGroup(title: "State") var state: StateOptions

    func run() async throws {
        var template = PipelineSpec(sources: [])
        target.apply(to: &template)
        delivery.apply(to: &template)
        let restore = Restore(
            jobs: ImportJob(stateDirectory: state.stateDirectory, apiKeyVariable: target.connection.apiKeyEnv))
        let display = ProgressDisplay(mode: delivery.progress)
        let summaries: [ImportSummary]
        let (directory, mode, spec) = (self.directory, self.mode, template)
        let (stateDirectory, wait) = (state.stateDirectory, state.wait)
        do {
            summaries = try await JobRunner.interruptible {
                try await JobRunner.locked(stateDirectory, wait: wait) {
                    try await restore.run(directory: directory, template: spec, mode: mode, progress: display.update)
                }
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
        if let summaryJson = delivery.summaryJson, let last = summaries.last {
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
