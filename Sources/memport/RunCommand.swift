import ArgumentParser
import Foundation
import Pipeline

/// `memport run pipelines/NAME.yaml`: runs the job a pipeline file describes.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the import job a pipeline file describes (same schema as the flags).")

    @Argument(help: "The pipeline file (YAML).")
    var file: String

    @OptionGroup var job: JobOptions

    @Option(help: "Write the summary as JSON to this file.")
    var summaryJson: String?

    func run() async throws {
        var spec: PipelineSpec
        do {
            spec = try PipelineSpec.load(path: file)
        } catch {
            throw JobRunner.fail(error)
        }
        job.apply(to: &spec)
        let runner = ImportJob(stateDirectory: job.stateDirectory)
        let finalSpec = spec
        try await JobRunner.execute(options: job, summaryJSON: summaryJson, failOnRejects: spec.failOnRejects) {
            display in
            try await runner.run(finalSpec, progress: display.update) { display.note("detected: \($0)") }
        }
    }
}

/// `memport resume JOB`: continues a job from its ledger.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Continue an interrupted or incomplete job by its id (or a unique prefix).")

    @Argument(help: "The job id, as `memport jobs` lists it.")
    var jobID: String

    @OptionGroup var job: JobOptions

    @Option(help: "Write the summary as JSON to this file.")
    var summaryJson: String?

    func run() async throws {
        let runner = ImportJob(stateDirectory: job.stateDirectory)
        var spec: PipelineSpec
        do {
            spec = try await runner.spec(of: jobID)
        } catch {
            throw JobRunner.fail(error)
        }
        job.apply(to: &spec)
        let finalSpec = spec
        try await JobRunner.execute(options: job, summaryJSON: summaryJson, failOnRejects: spec.failOnRejects) {
            display in
            if finalSpec.sources.contains("-") {
                throw PipelineError(
                    .usage,
                    "job \(jobID) read stdin, which cannot be read again; pipe the input to the same import command")
            }
            return try await runner.run(finalSpec, progress: display.update)
        }
    }
}
