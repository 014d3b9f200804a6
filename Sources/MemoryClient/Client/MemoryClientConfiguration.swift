import Foundation
import Logging
import MemoryAPI

/// Everything a ``MemoryClient`` needs: where, who, which API generation, and how patient.
///
/// ```swift
/// var config = try MemoryClientConfiguration(baseURL: "http://127.0.0.1:8765", apiKey: "m0-…")
/// config.apiVersion = .v1
/// ```
public struct MemoryClientConfiguration: Sendable {
    /// The base URL; a path prefix (`https://proxy/mem0`) is kept.
    public var baseURL: String
    /// The key sent as `Authorization: Token <key>`.
    public var apiKey: APIKey
    /// The path generation calls use by default.
    public var apiVersion: APIVersion
    /// The organisation (v1/v2 paths only; give both or neither).
    public var orgID: String?
    /// The project (v1/v2 paths only; give both or neither).
    public var projectID: String?
    /// Seconds one attempt may take, from connecting to the last byte of the answer.
    public var timeout: Double
    /// Seconds to establish a connection; a refused connect fails the attempt at once.
    public var connectTimeout: Double
    /// How failures are retried.
    public var retry: RetryPolicy
    /// How fast and how wide calls go out.
    public var pacing: PacingPolicy
    /// The clock of the retry and pacing machinery.
    public var clock: any MemoryClock
    /// The jitter source of the backoff.
    public var random: RandomSource
    /// Where the client logs (retries at `debug`); the API key never appears in it.
    public var logger: Logger
    /// The largest answer accepted, in bytes.
    public var maxResponseBytes: Int
    /// The `User-Agent` header.
    public var userAgent: String

    /// The platform's address.
    public static let defaultBaseURL = "https://api.mem0.ai"

    /// Creates a configuration; without `apiKey` the key is read from `MEM0_API_KEY`.
    ///
    /// Throws a `validation` error for a base URL that is not http(s) or for only one of
    /// `orgID`/`projectID` (as the SDK refuses it), and an `authentication` error when there is
    /// no key at all.
    public init(
        baseURL: String = MemoryClientConfiguration.defaultBaseURL, apiKey: String? = nil,
        apiVersion: APIVersion = .v3, orgID: String? = nil, projectID: String? = nil, timeout: Double = 60,
        connectTimeout: Double = 10,
        retry: RetryPolicy = .standard, pacing: PacingPolicy? = nil, clock: any MemoryClock = SystemClock(),
        random: RandomSource = .system, logger: Logger = Logger(label: "memport.client"),
        maxResponseBytes: Int = 64 << 20, userAgent: String = "memport/0.1.0",
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        guard let url = URL(string: baseURL), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else {
            throw MemoryAPIError(.validation, "the base URL must be http(s)://host[:port][/prefix], got \(baseURL)")
        }
        guard (orgID == nil) == (projectID == nil) else {
            throw MemoryAPIError(.validation, "give both org_id and project_id, or neither")
        }
        self.baseURL = baseURL
        self.apiKey = try apiKey.map(APIKey.init) ?? APIKey.fromEnvironment(environment)
        self.apiVersion = apiVersion
        self.orgID = orgID
        self.projectID = projectID
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.retry = retry
        self.pacing = pacing ?? .default(forHost: host)
        self.clock = clock
        self.random = random
        self.logger = logger
        self.maxResponseBytes = maxResponseBytes
        self.userAgent = userAgent
    }
}
