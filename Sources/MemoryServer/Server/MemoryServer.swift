import Foundation
import Hummingbird
import Logging
import MemoryAPI
import MemoryStore

/// A Mem0-compatible HTTP server over a ``MemoryStore``: the routes of contract §9 (v1, v2
/// and v3), token authentication, an optional rate limit per key, and optional latency and
/// fault injection.
///
/// ```swift
/// let server = MemoryServer(store: store, configuration: ServerConfiguration(keys: [APIKey(secret: "k")]))
/// try await server.run { url in print(url) }   // http://127.0.0.1:49152
/// ```
public struct MemoryServer: Sendable {
    /// The store the routes act on.
    public let store: MemoryStore
    /// How to listen and behave.
    public let configuration: ServerConfiguration

    private let faults: FaultInjector?
    private let limiter: RateLimiter?

    /// Creates a server.
    public init(store: MemoryStore, configuration: ServerConfiguration) {
        self.store = store
        self.configuration = configuration
        faults =
            configuration.faultRate > 0
            ? FaultInjector(plan: FaultPlan(rate: configuration.faultRate, seed: configuration.faultSeed)) : nil
        limiter = configuration.rateLimit.map(RateLimiter.init(rate:))
    }

    /// What the rate limit refused and the faults injected so far.
    public func statistics() async -> ServerStatistics {
        var stats = ServerStatistics(rateLimit: configuration.rateLimit?.description)
        if let limiter {
            stats.rateLimitAdmitted = await limiter.admitted
            stats.rateLimited = await limiter.refused
        }
        if let faults {
            stats.faultsUnavailable = await faults.unavailable
            stats.faultsDropped = await faults.dropped
        }
        return stats
    }

    /// The router with every route and the gateway middleware; tests drive it in memory.
    public func router() -> Router<MemoryRequestContext> {
        let router = Router(context: MemoryRequestContext.self)
        // Keyed by bytes: a secret written in NFD is not the NFC one. `ServeCommand` refuses
        // one secret for two projects at start (`APIKey.checkDistinct`); here the first wins.
        var keys: [ExactText: ProjectContext] = [:]
        for key in configuration.keys where keys[ExactText(key.secret)] == nil {
            keys[ExactText(key.secret)] = key.project
        }
        router.add(
            middleware: GatewayMiddleware(
                keys: keys, faults: faults, limiter: limiter, latency: configuration.latency,
                maxBodyBytes: configuration.maxBodyBytes, statistics: { await statistics() }))
        MemoryRoutes(store: store, exports: ExportRegistry(), maxBodyBytes: configuration.maxBodyBytes)
            .register(on: router)
        return router
    }

    /// The Hummingbird application; `onRunning` gets the base URL once the port is bound.
    public func application(
        logger: Logger = Logger(label: "memport.serve"),
        onRunning: @escaping @Sendable (String) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let host = configuration.host
        return Application(
            router: router(),
            server: .http1(configuration: .init(additionalChannelHandlers: [ParserErrorResponder()])),
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                let shownHost = host.contains(":") ? "[\(host)]" : host
                await onRunning("http://\(shownHost):\(port)")
            },
            logger: logger)
    }

    /// Runs until the task is cancelled or SIGINT/SIGTERM arrives (graceful shutdown).
    public func run(
        logger: Logger = Logger(label: "memport.serve"),
        onRunning: @escaping @Sendable (String) async -> Void = { _ in }
    ) async throws {
        try await application(logger: logger, onRunning: onRunning).runService()
    }
}
