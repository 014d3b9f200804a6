import ArgumentParser
import Foundation
import Pipeline
import Reading

/// `memport run pipelines/NAME.yaml`: runs the job a pipeline file describes.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the import job a pipeline file describes (same schema as the flags).",
        discussion: "With --dry-run, reads and maps the file's inputs as import --dry-run does and sends nothing."
    )

    @Argument(help: "The pipeline file (YAML).")
    var file: String

    @OptionGroup(title: "Dry run") var dry: DryRunOptions

    @OptionGroup(title: "Target") var target: TargetOptions

    @OptionGroup(title: "Delivery") var delivery: DeliveryOptions

    @OptionGroup(title: "State") var state: StateOptions

    func run() async throws {
        var spec: PipelineSpec
        do {
            spec = try PipelineSpec.load(path: file)
        } catch {
            throw JobRunner.fail(error)
        }
        target.apply(to: &spec)
        delivery.apply(to: &spec)
        if dry.dryRun {
            try DryRunPrinter.run(spec, show: dry.show, summaryJSON: delivery.summaryJson)
            return
        }
        let runner = ImportJob(stateDirectory: state.stateDirectory, apiKeyVariable: target.connection.apiKeyEnv)
        let finalSpec = spec
        try await JobRunner.execute(state: state, delivery: delivery, failOnRejects: spec.failOnRejects) { display in
            try await runner.run(
                finalSpec, progress: display.update, detected: { display.note("detected: \($0)") },
                skipped: { display.warn("memport: \($0)") })
        }
    }
}

/// `memport resume JOB`: continues a job from its ledger.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Continue an interrupted or incomplete job by its id (or a unique prefix).")

    @Argument(help: "The job id, as `memport jobs` lists it.")
    var jobID: String

    @OptionGroup(title: "Target") var target: TargetOptions

    @OptionGroup(title: "Delivery") var delivery: DeliveryOptions

    @OptionGroup(title: "State") var state: StateOptions

    func run() async throws {
        let runner = ImportJob(stateDirectory: state.stateDirectory, apiKeyVariable: target.connection.apiKeyEnv)
        var spec: PipelineSpec
        do {
            spec = try await runner.spec(of: jobID)
        } catch {
            throw JobRunner.fail(error)
        }
        target.apply(to: &spec)
        delivery.apply(to: &spec)
        if spec.sources.contains("-") {
            throw JobRunner.fail(
                PipelineError(
                    .usage,
                    "job \(jobID) read stdin, which cannot be read again; pipe the input to the same import command"))
        }
        let finalSpec = spec
        try await JobRunner.execute(state: state, delivery: delivery, failOnRejects: spec.failOnRejects) { display in
            try await runner.run(finalSpec, progress: display.update, skipped: { display.warn("memport: \($0)") })
        }
    }
}
