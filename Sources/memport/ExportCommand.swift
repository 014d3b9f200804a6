import ArgumentParser
import Foundation
import MemoryAPI
import Pipeline

/// `memport export --target T --output FILE`: a complete, resumable dump of a target or of a
/// self-hosted Mem0 store (`memport export chroma:PATH --output FILE`).
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract:
            "Export every memory of a target or self-hosted Mem0 store (or those --filters selects) to NDJSON, JSON or CSV.",
        discussion: """
            Lists the entities and pages through each with get_all, writing each memory once; a \
            self-hosted Mem0 store (chroma:PATH, mem0-ts:PATH, postgresql://…) is read in place in its \
            own key order, its memories mapped as an import of it maps them. The file \
            is written under a temporary name (mode 0600) and renamed when complete. Checkpoints in the \
            ledger cover only bytes synced to the disk, so an export interrupted, killed or stopped by a \
            full disk resumes exactly: run the same command again. --output - streams to standard \
            output (gzip too; the summary goes to stderr); it is not resumable.
            """
    )

    @Argument(help: "What to export, as --target (give one of the two).")
    var source: String?

    @Option(
        help: """
            embedded:PATH, an http(s):// base URL, mem0 ($MEM0_BASE_URL, else the hosted platform), or a \
            self-hosted Mem0 store: chroma:PATH, mem0-ts:PATH, postgresql://… (with --collection).
            """)
    var target: String?

    @Option(help: "The output file, the output directory with --split-by, or - for standard output.")
    var output: String

    @Option(help: "ndjson, json or csv.")
    var format: ExportFormat = .ndjson

    @Flag(help: "Compress with gzip.")
    var gzip = false

    @Option(help: "One file per entity: user_id, agent_id, app_id or run_id.")
    var splitBy: EntityType?

    @Option(help: "A v2 filter as JSON, or @FILE; only the memories it selects are exported.")
    var filters: String?

    @Option(help: "Memories per page, 1 to 200.")
    var pageSize = 200

    @Option(help: "The longest time between two checkpoints, in seconds (0: after every page).")
    var checkpointSeconds = 1.0

    @Flag(help: "Forget the checkpoint of an unfinished export of the same output and start over.")
    var restart = false

    @OptionGroup(title: "Target") var connection: ConnectionOptions

    @OptionGroup(title: "State") var state: StateOptions

    @OptionGroup(title: "Self-hosted Mem0 stores") var stores: StoreOptions

    func run() async throws {
        let filter = try FilterArgument.parse(filters)
        let exported: SourceSpec
        do {
            guard let text = source ?? target, source == nil || target == nil else {
                throw PipelineError(
                    .usage, "name what to export once: as the argument or as --target (e.g. --target embedded:PATH)")
            }
            exported = try SourceSpec(text, collection: stores.collection)
            if case .store = exported {
                try StorePager.check(filter: filter, splitBy: splitBy)
            }
        } catch {
            throw JobRunner.fail(error)
        }
        guard (1...200).contains(pageSize) else {
            FileHandle.standardError.write(Data("memport: --page-size must be 1 to 200\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        if output == "-" && splitBy != nil {
            FileHandle.standardError.write(Data("memport: --split-by needs an output directory, not -\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        let options = Exporter.Options(
            output: output, format: format, gzip: gzip, splitBy: splitBy, filters: filter, pageSize: pageSize,
            checkpointInterval: .milliseconds(Int64(max(checkpointSeconds, 0) * 1000)), restart: restart,
            crashPoint: ExportCrashPoint(ProcessInfo.processInfo.environment["MEMPORT_TEST_CRASH"]))
        let summary: ExportSummary
        let (connection, stateDirectory, wait) = (self.connection, state.stateDirectory, state.wait)
        do {
            summary = try await JobRunner.interruptible {
                try await JobRunner.locked(stateDirectory, wait: wait) {
                    let ledger = try Ledger(directory: stateDirectory)
                    switch exported {
                    case .store(let store):
                        return try await Exporter(store: store, ledger: ledger, options: options).run()
                    case .target(let spec):
                        let target = try connection.open(spec)
                        let exporter = Exporter(target: target, ledger: ledger, options: options)
                        return try await closing(target) { try await exporter.run() }
                    }
                }
            }
        } catch {
            throw JobRunner.fail(error)
        }
        let text = summary.rendered() + "\n"
        if options.isStandardOutput {
            // Standard output carries the memories.
            FileHandle.standardError.write(Data(text.utf8))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        if summary.interrupted { throw ExitCode(ExitStatus.interrupted) }
    }
}
