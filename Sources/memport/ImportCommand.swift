import ArgumentParser
import Foundation
import MemoryAPI
import Pipeline

/// `memport import FILE...`: reads and maps inputs into units and delivers them (or, with
/// `--dry-run`, shows what would be sent).
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import chat transcripts and memory dumps as scoped memories.",
        discussion: """
            Reads files, globs, directories or stdin (-), gzip detected by its magic bytes; formats \
            NDJSON, JSON (arrays streamed element by element, objects, Mem0 pages) and CSV; presets \
            openai, sharegpt, chatgpt, claude, locomo, mem0 (with the `mem0` CLI's files), mem0-migration, \
            openmemory (backup zips) and generic, detected from the first record. \
            A pipe or FIFO (<(cmd), mkfifo) is read once, like -. With --dry-run, parses and maps \
            everything exactly as delivery would and prints what would be sent.
            """
    )

    @Argument(
        help:
            "Files, globs or directories to read; - reads stdin; chroma:PATH, mem0-ts:PATH or postgresql://… read a self-hosted Mem0 store."
    )
    var files: [String]

    @OptionGroup(title: "Reading") var reader: ReaderOptions

    @Option(help: "add, update (batch_update by id) or delete (batch_delete by id); update and delete take Mem0 dumps.")
    var operation: PipelineSpec.Operation?

    @OptionGroup(title: "Dry run") var dry: DryRunOptions

    @OptionGroup(title: "Target") var target: TargetOptions

    @OptionGroup(title: "Delivery") var delivery: DeliveryOptions

    @OptionGroup(title: "State") var state: StateOptions

    @OptionGroup(title: "Self-hosted Mem0 stores") var stores: StoreOptions

    func run() async throws {
        var spec: PipelineSpec
        do {
            spec = try reader.spec(files: files.map(stores.naming), operation: operation)
            target.apply(to: &spec)
            delivery.apply(to: &spec)
        } catch {
            throw JobRunner.fail(error)
        }
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
