import Foundation
import MemoryAPI
import MemoryClient
import Reading

/// A Mem0 HTTP API: the hosted platform or `memport serve`, through `MemoryClient` with its
/// retries and pacing.
public final class HTTPTarget: MemoryTarget {
    /// The client.
    public let client: MemoryClient
    /// The base URL without credentials or query: what ledgers and summaries show.
    public let description: String

    /// The client's event loop: the engine's calls run where their answers arrive.
    public var taskExecutor: (any TaskExecutor)? { client.taskExecutor }

    /// Connects to `baseURL`; the key comes from `apiKey` or `MEM0_API_KEY`.
    ///
    /// - Parameters:
    ///   - rate: requests per minute or unpaced, held fixed; nil learns the target's limit
    ///     (`PacingPolicy.learnsLimit`), from 950 a minute on the hosted platform, unpaced elsewhere.
    ///   - concurrency: the most calls in flight.
    /// - Throws: `MemoryAPIError` for a bad URL or a missing key.
    public init(
        baseURL: String, apiKey: String?, apiVersion: APIVersion = .v3, orgID: String? = nil,
        projectID: String? = nil, rate: Rate? = nil, concurrency: Int = 8,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        var pacing = PacingPolicy.default(forHost: URL(string: baseURL)?.host)
        if let rate {
            // A rate the user gave is held as given (0: unpaced), never learned over.
            pacing.requestsPerMinute = Double(rate.requestsPerMinute)
            pacing.learnsLimit = false
        }
        pacing.maxConcurrency = max(concurrency, 1)
        let configuration = try MemoryClientConfiguration(
            baseURL: baseURL, apiKey: apiKey, apiVersion: apiVersion, orgID: orgID, projectID: projectID,
            pacing: pacing, environment: environment)
        client = MemoryClient(configuration: configuration)
        description = Self.describe(baseURL) + (orgID.map { "#\($0)/\(projectID ?? "")" } ?? "")
    }

    /// `scheme://host[:port][/path]`, without user info or query.
    static func describe(_ baseURL: String) -> String {
        guard var parts = URLComponents(string: baseURL) else { return "http-target" }
        parts.user = nil
        parts.password = nil
        parts.query = nil
        parts.fragment = nil
        var text = parts.string ?? "http-target"
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// Sends one add.
    public func add(_ request: AddRequest) async throws -> AddOutcome {
        Self.outcome(of: try await client.add(request))
    }

    /// Polls one job.
    public func job(_ eventID: String) async throws -> MemoryJob {
        try await client.event(eventID)
    }

    /// Memories with this import key, merged ones included (`include_merged`: a memory delivered
    /// once stays delivered when Dream folds it into another); without a scope the key alone
    /// filters, through the v2 listing (v3 insists on an entity id in every filter).
    public func memories(importKey: String, scope: Scope?) async throws -> [Memory] {
        if let scope, !scope.isEmpty { return try await client.findByImportKey(importKey, scope: scope) }
        var found: [Memory] = []
        let filter = MemoryFilter.importKey(importKey, scope: nil)
        let request = GetAllRequest(filters: filter, includeMerged: true)
        for try await page in client.getAllPages(request, pageSize: 100, version: .v2) {
            found += page.results
        }
        return found
    }

    /// One batch update call.
    public func batchUpdate(_ items: [BatchUpdateItem]) async throws {
        _ = try await client.batchUpdate(items)
    }

    /// One batch delete call.
    public func batchDelete(_ items: [BatchDeleteItem]) async throws {
        _ = try await client.batchDelete(items)
    }

    /// Every entity.
    public func entities() async throws -> [Entity] {
        try await client.entities().entities
    }

    /// One page of a filtered listing.
    public func memories(filter: MemoryFilter, page: Int, pageSize: Int) async throws -> Page<Memory> {
        try await client.getAll(
            GetAllRequest(filters: filter, page: page, pageSize: pageSize), decode: MemoryListingDecoder.page)
    }

    /// One page of a filtered listing in a lifecycle view (`include_merged` and `latest_only`
    /// are sent only when true; a target without Dream ignores them).
    public func memories(filter: MemoryFilter, page: Int, pageSize: Int, lifecycle: LifecycleView) async throws
        -> Page<Memory>
    {
        try await client.getAll(
            GetAllRequest(
                filters: filter, page: page, pageSize: pageSize, includeMerged: lifecycle.includeMerged ? true : nil,
                latestOnly: lifecycle.latestOnly ? true : nil),
            decode: MemoryListingDecoder.page)
    }

    /// Connects once to the host: when nothing listens there (connection refused, no route,
    /// a name that does not resolve), the job ends now, naming the cause, with nothing sent.
    ///
    /// - Throws: `PipelineError` `.targetUnreachable`.
    public func preflight() async throws {
        guard let url = URL(string: client.configuration.baseURL), let host = url.host else { return }
        let port = url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
        if case .unreachable(let reason) = await ConnectProbe.check(host: host, port: port) {
            throw PipelineError(
                .targetUnreachable,
                "cannot connect to \(description): \(reason); nothing was sent. Start the target (or fix --target) "
                    + "and run the same command again")
        }
    }

    /// Retries the client made.
    public func retryCount() async -> Int { client.statistics.retries }

    /// 429 answers met so far.
    public func rateLimitedCount() async -> Int { client.statistics.rateLimited }

    /// Closes the connection pool.
    public func close() async {
        try? await client.shutdown()
    }
}
