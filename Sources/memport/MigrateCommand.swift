import ArgumentParser
import Foundation
import MemoryAPI
import Pipeline

/// `memport migrate --from T1 --to T2`: export into import, with no intermediate file.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy every memory of one target into another, streaming, resumable by re-running.",
        discussion: """
            MEM0_API_KEY serves both sides unless --from-api-key-env / --to-api-key-env name other \
            variables. The ledger delivers each memory once: after an interruption, run the same command.
            """
    )

    @Option(
        help:
            "The source: embedded:PATH, an http(s):// base URL, or a self-hosted Mem0 store (chroma:PATH, mem0-ts:PATH, postgresql://…)."
    )
    var from: String

    @Option(help: "The destination: embedded:PATH or an http(s):// base URL.")
    var to: String

    @Option(name: .customLong("from-api-key-env"), help: "The variable holding the source's key.")
    var fromAPIKeyEnv = "MEM0_API_KEY"

    @Option(name: .customLong("to-api-key-env"), help: "The variable holding the destination's key.")
    var toAPIKeyEnv = "MEM0_API_KEY"

    @Option(help: "A v2 filter as JSON, or @FILE; only the memories it selects are migrated.")
    var filters: String?

    @Option(help: "Units per chunk, 1 to 1000.")
    var chunkSize = 1000

    @Option(help: "Calls in flight at once.")
    var concurrency = 8

    @Option(help: "Where the job ledger lives.")
    var stateDir = ".memport"

    @Option(help: "Progress on stderr: auto, plain, json or none.")
    var progress: ProgressMode = .auto

    @Option(help: "Write the summary as JSON to this file.")
    var summaryJson: String?

    @OptionGroup var stores: StoreOptions

    func run() async throws {
        let filter = try FilterArgument.parse(filters)
        let options = try JobOptions.parse(["--progress", progress.rawValue, "--state-dir", stateDir])
        if StoreSources.isStore(from) {
            try await migrateStore(options: options, filtered: filter != nil)
            return
        }
        let (from, to, fromKey, toKey) = (self.from, self.to, fromAPIKeyEnv, toAPIKeyEnv)
        let (chunkSize, concurrency, stateDir) = (self.chunkSize, self.concurrency, self.stateDir)
        try await JobRunner.execute(
            options: options, summaryJSON: summaryJson, failOnRejects: false,
            continueWith: "running the same memport migrate command again"
        ) { display in
            let ledger = try Ledger(directory: URL(fileURLWithPath: stateDir))
            let source = try TargetFactory.open(from, apiKeyVariable: fromKey)
            let destination: any MemoryTarget
            do {
                destination = try TargetFactory.open(to, concurrency: concurrency, apiKeyVariable: toKey)
            } catch {
                await source.close()
                throw error
            }
            let migration = Migration(
                source: source, destination: destination, ledger: ledger, filters: filter, chunkSize: chunkSize,
                concurrency: concurrency)
            return try await closing(source) {
                try await closing(destination) { try await migration.run(progress: display.update) }
            }
        }
    }
}

extension MigrateCommand {
    /// A self-hosted store as the source: read in place and imported, keyed by store, collection and point id.
    func migrateStore(options: JobOptions, filtered: Bool) async throws {
        guard !filtered else {
            FileHandle.standardError.write(
                Data("memport: --filters selects from a target; a store source is migrated whole\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        let spec = StoreSources.migrationSpec(
            from: stores.naming(from), to: to, chunkSize: chunkSize, concurrency: concurrency)
        let runner = ImportJob(stateDirectory: URL(fileURLWithPath: stateDir), apiKeyVariable: toAPIKeyEnv)
        try await JobRunner.execute(
            options: options, summaryJSON: summaryJson, failOnRejects: false,
            continueWith: "running the same memport migrate command again"
        ) { display in
            try await runner.run(spec, progress: display.update) { display.note("detected: \($0)") }
        }
    }
}
