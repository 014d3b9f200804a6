import ArgumentParser
import Foundation
import MemoryAPI
import Pipeline
import Reading

/// `memport migrate --from T1 --to T2`: export into import, with no intermediate file.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy every memory of one target (or self-hosted Mem0 store) into another, resumable by re-running.",
        discussion: """
            MEM0_API_KEY serves both sides unless --from-api-key-env / --to-api-key-env name other \
            variables. The ledger delivers each memory once: after an interruption, run the same command. \
            --from may be a self-hosted Mem0 store read in place: chroma:PATH, mem0-ts:PATH or \
            postgresql://… (the self-hosted server's table is memories: --collection memories).
            """
    )

    @Option(
        help:
            "The source: embedded:PATH, an http(s):// base URL, mem0 ($MEM0_BASE_URL, else the hosted platform), or a self-hosted Mem0 store (chroma:PATH, mem0-ts:PATH, postgresql://…)."
    )
    var from: String

    @Option(help: "The destination: embedded:PATH, an http(s):// base URL, or mem0.", transform: TargetSpec.argument)
    var to: TargetSpec

    @Option(
        name: .customLong("from-api-key-env"), help: "The variable holding the source's key (default: --api-key-env).")
    var fromAPIKeyEnv: String?

    @Option(
        name: .customLong("to-api-key-env"),
        help: "The variable holding the destination's key (default: --api-key-env).")
    var toAPIKeyEnv: String?

    @Option(help: "A v2 filter as JSON, or @FILE; only the memories it selects are migrated.")
    var filters: String?

    @OptionGroup(title: "Both targets") var connection: ConnectionOptions

    @OptionGroup(title: "Delivery") var delivery: DeliveryOptions

    @OptionGroup(title: "State") var state: StateOptions

    @OptionGroup(title: "Self-hosted Mem0 stores") var stores: StoreOptions

    func run() async throws {
        let filter = try FilterArgument.parse(filters)
        let source: SourceSpec
        do {
            source = try SourceSpec(self.from, collection: stores.collection)
        } catch {
            throw JobRunner.fail(error)
        }
        let from: TargetSpec
        switch source {
        case .store(let store):
            try await migrate(store, filtered: filter != nil)
            return
        case .target(let target): from = target
        }
        let (to, connection, stateDirectory) = (self.to, self.connection, state.stateDirectory)
        let fromKey = fromAPIKeyEnv ?? connection.apiKeyEnv
        let toKey = toAPIKeyEnv ?? connection.apiKeyEnv
        let (chunkSize, concurrency, rate) = (delivery.chunkSize ?? 1000, delivery.concurrency ?? 8, delivery.rate)
        try await JobRunner.execute(
            state: state, delivery: delivery, failOnRejects: delivery.failOnRejects,
            continueWith: "running the same memport migrate command again"
        ) { display in
            let ledger = try Ledger(directory: stateDirectory)
            let source = try connection.open(from, keyVariable: fromKey)
            let destination: any MemoryTarget
            do {
                destination = try connection.open(to, keyVariable: toKey, rate: rate, concurrency: concurrency)
                try await destination.preflight()
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
    /// A self-hosted store as the source: read in place and imported through the `mem0`
    /// mapping, keyed by store, collection and point id.
    func migrate(_ store: StoreSpec, filtered: Bool) async throws {
        guard !filtered else {
            throw JobRunner.fail(
                PipelineError(.usage, "--filters selects from a target; a self-hosted store is migrated whole"))
        }
        var spec = PipelineSpec.migrating(store: store, to: to)
        connection.apply(to: &spec)
        delivery.apply(to: &spec)
        let runner = ImportJob(
            stateDirectory: state.stateDirectory, apiKeyVariable: toAPIKeyEnv ?? connection.apiKeyEnv)
        let finalSpec = spec
        try await JobRunner.execute(
            state: state, delivery: delivery, failOnRejects: delivery.failOnRejects,
            continueWith: "running the same memport migrate command again"
        ) { display in
            try await runner.run(finalSpec, progress: display.update, detected: { display.note("detected: \($0)") })
        }
    }
}
