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

    @Option(help: "The source: embedded:PATH or an http(s):// base URL.")
    var from: TargetSpec

    @Option(help: "The destination: embedded:PATH or an http(s):// base URL.")
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

    func run() async throws {
        let filter = try FilterArgument.parse(filters)
        let (from, to, connection, stateDirectory) = (self.from, self.to, self.connection, state.stateDirectory)
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
