import ArgumentParser
import Foundation
import Logging
import MemoryServer
import MemoryStore

/// `memport serve`: a local Mem0-compatible API on SQLite that the official SDK uses unchanged.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a local Mem0-compatible API (v1, v2, v3) backed by SQLite.",
        discussion: """
            Deterministic: no model is called. Each message becomes one memory, stored verbatim; \
            search is keyword relevance (SQLite FTS5, BM25). The first line on stdout is the base URL. \
            SIGINT or SIGTERM stops the server cleanly.
            """
    )

    @Option(help: "The SQLite database file (created if missing).")
    var db: String = "memport.db"

    @Option(help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "The port; 0 picks a free one.")
    var port: Int = 8765

    @Option(
        name: .customLong("api-key"),
        help: "An accepted key, KEY or KEY=org/project (repeatable; also MEMPORT_API_KEYS, comma-separated).")
    var apiKeys: [String] = []

    @Option(
        help: ArgumentHelp(
            "A rate limit per API key: N/s, N/min or N/h (a token bucket of N; over it, 429 with Retry-After).",
            valueName: "N/min"))
    var rateLimit: String?

    @Option(
        help: "The share of requests (0 to 1) answered with an injected transient fault: a 503 or a dropped connection."
    )
    var faultRate: Double = 0

    @Option(help: "The seed of the injected fault sequence.")
    var faultSeed: UInt64 = 1

    @Option(help: "A delay in milliseconds before every answer.")
    var latencyMs: Int = 0

    @Option(help: "The largest request body in bytes; larger ones get 413.")
    var maxBodyBytes: Int = ServerConfiguration.defaultMaxBodyBytes

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "warning"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        if let rateLimit, RateLimit(parsing: rateLimit) == nil {
            throw ValidationError("--rate-limit must be N/s, N/min or N/h with N at least 1, got \(rateLimit)")
        }
        guard (0...1).contains(faultRate) else { throw ValidationError("--fault-rate must be between 0 and 1") }
        guard latencyMs >= 0 else { throw ValidationError("--latency-ms must not be negative") }
        guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func run() async throws {
        var keys: [APIKey] = []
        do {
            keys = try apiKeys.map(APIKey.init(parsing:))
            if let env = ProcessInfo.processInfo.environment["MEMPORT_API_KEYS"] {
                keys += try APIKey.parseList(env)
            }
            try APIKey.checkDistinct(keys)
        } catch let error as ServerConfigurationError {
            throw ValidationError(error.description)
        }
        if keys.isEmpty {
            throw ValidationError("no API key: give --api-key KEY (or KEY=org/project) or set MEMPORT_API_KEYS")
        }
        let store: MemoryStore
        do {
            store = try MemoryStore(path: db)
        } catch {
            FileHandle.standardError.write(Data("memport: \(error)\n".utf8))
            throw ExitCode(ExitStatus.inputNotFound)
        }
        var logger = Logger(label: "memport.serve")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .warning
        let server = MemoryServer(
            store: store,
            configuration: ServerConfiguration(
                host: host, port: port, keys: keys, faultRate: faultRate, faultSeed: faultSeed,
                latency: .milliseconds(latencyMs), maxBodyBytes: maxBodyBytes,
                rateLimit: rateLimit.flatMap(RateLimit.init(parsing:))))
        try await server.run(logger: logger) { url in
            FileHandle.standardOutput.write(Data((url + "\n").utf8))
        }
        if rateLimit != nil || faultRate > 0 {
            let stats = await server.statistics()
            FileHandle.standardError.write(Data("memport serve: \(stats.summary)\n".utf8))
        }
    }
}
