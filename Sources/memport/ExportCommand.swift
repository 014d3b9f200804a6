import ArgumentParser
import Foundation
import MemoryAPI
import Pipeline

/// `memport export --target T --output FILE`: a complete, resumable dump of a target.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export every memory of a target (or those --filters selects) to NDJSON, JSON or CSV.",
        discussion: """
            Lists the entities and pages through each with get_all, writing each memory once; the file \
            is written under a temporary name (mode 0600) and renamed when complete. Page checkpoints \
            in the ledger let an interrupted export resume: run the same command again.
            """
    )

    @Option(help: "embedded:PATH, an http(s):// base URL, or mem0 ($MEM0_BASE_URL, else the hosted platform).")
    var target: String

    @Option(help: "The output file, or the output directory with --split-by.")
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

    @OptionGroup var source: SourceOptions

    func run() async throws {
        let filter = try FilterArgument.parse(filters)
        guard (1...200).contains(pageSize) else {
            FileHandle.standardError.write(Data("memport: --page-size must be 1 to 200\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        let options = Exporter.Options(
            output: output, format: format, gzip: gzip, splitBy: splitBy, filters: filter, pageSize: pageSize)
        let summary: ExportSummary
        do {
            let ledger = try Ledger(directory: source.stateDirectory)
            let target = try source.open(self.target)
            let exporter = Exporter(target: target, ledger: ledger, options: options)
            summary = try await JobRunner.interruptible { try await closing(target) { try await exporter.run() } }
        } catch {
            throw JobRunner.fail(error)
        }
        print(summary.rendered())
        if summary.interrupted { throw ExitCode(ExitStatus.interrupted) }
    }
}
