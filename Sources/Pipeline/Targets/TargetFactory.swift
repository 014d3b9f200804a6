import Foundation
import MemoryAPI
import MemoryClient
import MemoryStore
import Reading

/// Opens the target a spec names: `embedded:PATH` or an `http(s)://` base URL.
public enum TargetFactory {
    /// Opens a target.
    ///
    /// - Parameters:
    ///   - target: the parsed target.
    ///   - apiVersion: the path generation of an HTTP target; nil is v3 (SDK 2.x).
    ///   - rate: requests per minute; nil takes the host's default (900 for the hosted platform,
    ///     unpaced elsewhere), ``Rate/unpaced`` is unpaced against any host.
    ///   - apiKeyVariable: the environment variable holding the key for HTTP targets.
    /// - Throws: `PipelineError` `.target` when it cannot be opened, or `MemoryAPIError`
    ///   `.authentication` when an HTTP target has no key.
    public static func open(
        _ target: TargetSpec, orgID: String? = nil, projectID: String? = nil, apiVersion: APIVersion? = nil,
        rate: Rate? = nil, concurrency: Int = 8, apiKeyVariable: String = "MEM0_API_KEY",
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> any MemoryTarget {
        switch target {
        case .embedded(let path):
            let project =
                orgID.map { ProjectContext(orgID: $0, projectID: projectID ?? "default-project") } ?? .default
            return try EmbeddedTarget(path: path, project: project)
        case .http(let url):
            var env = environment
            if apiKeyVariable != "MEM0_API_KEY" { env["MEM0_API_KEY"] = environment[apiKeyVariable] }
            guard env["MEM0_API_KEY"]?.isEmpty == false else {
                throw MemoryAPIError(
                    .authentication, "no API key for \(HTTPTarget.describe(url.absoluteString)): set \(apiKeyVariable)")
            }
            return try HTTPTarget(
                baseURL: url.absoluteString, apiKey: nil, apiVersion: apiVersion ?? .v3, orgID: orgID,
                projectID: projectID, rate: rate, concurrency: concurrency, environment: env)
        }
    }

    /// Opens a target from its string form (`embedded:PATH` or an `http(s)://` URL).
    ///
    /// - Throws: `PipelineError` `.usage` for a malformed target, and what the typed `open` throws.
    public static func open(
        _ spec: String, orgID: String? = nil, projectID: String? = nil, apiVersion: APIVersion? = nil,
        rate: Rate? = nil, concurrency: Int = 8, apiKeyVariable: String = "MEM0_API_KEY",
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> any MemoryTarget {
        try open(
            try TargetSpec(spec), orgID: orgID, projectID: projectID, apiVersion: apiVersion, rate: rate,
            concurrency: concurrency, apiKeyVariable: apiKeyVariable, environment: environment)
    }
}
