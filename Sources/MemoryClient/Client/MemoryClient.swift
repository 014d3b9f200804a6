import AsyncHTTPClient
import Foundation
import Logging
import MemoryAPI
import NIOCore
import NIOPosix

/// An async client for every Mem0 endpoint of the contract, with typed errors, retries that
/// honour `Retry-After`, and pacing.
///
/// ```swift
/// try await MemoryClient.withClient(try MemoryClientConfiguration(baseURL: url, apiKey: key)) { client in
///     let answer = try await client.add(AddRequest(messages: [...], scope: Scope(userID: "alice"), infer: false))
///     let page = try await client.getAll(GetAllRequest(filters: .userID("alice"), page: 1, pageSize: 100))
/// }
/// ```
///
/// Every failure is a `MemoryAPIError`. Reads, updates, deletes and batch calls are retried on
/// 429, 5xx, timeouts and dropped connections; an add is retried only when the failure says it
/// was not applied (a 429, a 503, a connection refused before the body left). An add that may
/// have been applied comes back as an error with `mayHaveBeenApplied == true`: look the memory
/// up by its import key (``findByImportKey(_:scope:version:)``) before sending it again.
///
/// Answers decode through MemoryAPI's tolerant types; one the client cannot read is a
/// `decoding` error quoting the start of what came back, never an empty result.
public final class MemoryClient: Sendable {
    /// The configuration the client was made with.
    public let configuration: MemoryClientConfiguration
    /// The retry and pacing machinery, usable around any operation.
    public let runner: CallRunner
    let transport: any Transport
    /// The executor of the event loop the client's connections live on, for the tasks that make
    /// its calls (nil for a client over an `HTTPClient` passed in).
    ///
    /// A task that prefers it encodes its request, is resumed with the answer and goes on to the
    /// next call on the thread that reads and writes the sockets; on the global executor each
    /// call woke three other threads on its way (about a sixth of the client's CPU at a thousand
    /// calls a second).
    public let taskExecutor: (any TaskExecutor)?

    /// Creates a client; without `httpClient` it makes its own connections, which
    /// ``shutdown()`` closes: memport's own HTTP/1.1 connections for an `http://` base URL
    /// (``HTTP1Transport``), AsyncHTTPClient for `https://`.
    public init(configuration: MemoryClientConfiguration, httpClient: HTTPClient? = nil) {
        self.configuration = configuration
        let c = configuration
        let settings = RequestSettings(
            apiKey: c.apiKey, timeout: c.timeout, maxResponseBytes: c.maxResponseBytes, userAgent: c.userAgent)
        if let httpClient {
            transport = AsyncHTTPClientTransport(
                http: httpClient, ownsHTTPClient: false, baseURL: c.baseURL, settings: settings)
            taskExecutor = nil
        } else if let plain = HTTP1Transport(
            baseURL: c.baseURL, settings: settings, connectTimeout: c.connectTimeout, loop: Self.eventLoop.executor.loop
        ) {
            transport = plain
            taskExecutor = Self.eventLoop.executor
        } else {
            var config = HTTPClient.Configuration()
            config.redirectConfiguration = .disallow
            config.timeout = .init(connect: .milliseconds(Int64(c.connectTimeout * 1000)))
            config.connectionPool = .init(
                idleTimeout: .seconds(60),
                concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, c.pacing.maxConcurrency))
            // A refused connect fails the attempt at once, and the retry policy (counted, with
            // backoff, under the call's time budget) decides what follows: AsyncHTTPClient's own
            // silent reconnects until the connect timeout would hide the cause and the count.
            config.connectionPool.retryConnectionEstablishment = false
            // memport installs no tracer; without this the client still opens a span per call
            // (the global no-op one) and formats its attributes: a few percent of a call's CPU.
            config.tracing.tracer = nil
            transport = AsyncHTTPClientTransport(
                http: HTTPClient(eventLoopGroup: Self.eventLoop.group, configuration: config), ownsHTTPClient: true,
                baseURL: c.baseURL, settings: settings)
            taskExecutor = Self.eventLoop.executor
        }
        runner = CallRunner(
            policy: c.retry, pacing: c.pacing, clock: c.clock, random: c.random, logger: c.logger)
    }

    /// The one event loop every client made here shares, and its task executor.
    ///
    /// One thread carries a few thousand calls a second, more than any target takes from one
    /// process; with one loop a request, its connection and the task waiting for it always share
    /// a thread (with two, AsyncHTTPClient handed about half the calls between loops). It lives
    /// as long as the process, as NIO's own singletons do.
    static let eventLoop: (group: MultiThreadedEventLoopGroup, executor: EventLoopTaskExecutor) = {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        return (group, EventLoopTaskExecutor(loop: group.next()))
    }()

    /// Closes the connections the client made (an `HTTPClient` passed in stays open).
    public func shutdown() async throws {
        try await transport.shutdown()
    }

    /// Runs `body` with a new client and shuts it down afterwards, also when `body` throws.
    @discardableResult
    public static func withClient<T: Sendable>(
        _ configuration: MemoryClientConfiguration, _ body: (MemoryClient) async throws -> T
    ) async throws -> T {
        let client = MemoryClient(configuration: configuration)
        do {
            let value = try await body(client)
            try await client.shutdown()
            return value
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Counts of calls, attempts, retries and failures so far.
    public var statistics: ClientStatistics { runner.counts }

    // MARK: - Sending

    /// Sends an endpoint under the retry policy and decodes its answer as `T`.
    func perform<T: Decodable & Sendable>(_ endpoint: Endpoint, as type: T.Type) async throws -> CallReport<T> {
        try await perform(endpoint) { data in try JSONValueDecoder().decode(T.self, from: data) }
    }

    /// Sends an endpoint under the retry policy and turns its 2xx body into a value.
    func perform<T: Sendable>(
        _ endpoint: Endpoint, decode: @Sendable @escaping (Data) throws -> T
    ) async throws -> CallReport<T> {
        let transport = self.transport
        let clock = configuration.clock
        return try await runner.runAttempts(endpoint.name, idempotent: endpoint.effect.isIdempotent) { _ in
            let reply = try await transport.send(endpoint)
            let rateLimit = reply.rateLimit(wallNow: clock.date().timeIntervalSince1970)
            guard reply.isSuccess else {
                throw AttemptFailure(
                    error: Self.error(for: reply, endpoint: endpoint, now: clock.date()), rateLimit: rateLimit)
            }
            do {
                return Attempt(value: try decode(reply.body), rateLimit: rateLimit)
            } catch {
                throw AttemptFailure(error: Self.decodingError(error, reply: reply, endpoint: endpoint))
            }
        }
    }

    /// The error for a non-2xx answer: the SDK's status classes, the server's words, and whether
    /// a state-changing request may have been applied (500, 502 and 504 may hide work done
    /// behind them; 408, 429 and 503 mean the server refused it).
    static func error(for reply: HTTPReply, endpoint: Endpoint, now: Date) -> MemoryAPIError {
        let retryAfter = reply.headers.first(name: "Retry-After").flatMap { RetryAfter.seconds(from: $0, now: now) }
        var error = MemoryAPIError.fromResponse(status: reply.status, body: reply.body, retryAfter: retryAfter)
        error.message = "\(endpoint.label): \(error.message)"
        error.mayHaveBeenApplied = endpoint.effect.changesState && [500, 502, 504].contains(reply.status)
        return error
    }

    /// The error for a 2xx answer the client could not read; it quotes the start of the body.
    static func decodingError(_ error: any Error, reply: HTTPReply, endpoint: Endpoint) -> MemoryAPIError {
        let quoted = MemoryAPIError.truncate(String(decoding: reply.body, as: UTF8.self), limit: 300)
        return MemoryAPIError(
            .decoding,
            "\(endpoint.label): unexpected answer (\(MemoryAPIError.describe(error))); got: \(quoted)",
            status: reply.status, mayHaveBeenApplied: endpoint.effect.changesState)
    }

    /// JSON for a request body.
    static func json(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
