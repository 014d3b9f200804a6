import Foundation
import MemoryAPI
import MemoryClient
import MemoryStore

/// Opens the target a spec names: `embedded:PATH` or an `http(s)://` base URL.
public enum TargetFactory {
    /// Opens a target.
    ///
    /// - Parameters:
    ///   - spec: `embedded:PATH` or `http(s)://host[:port][/prefix]`.
    ///   - apiKeyVariable: the environment variable holding the key for HTTP targets.
    /// - Throws: `PipelineError` `.usage` for a malformed target, `.target` when it cannot be opened,
    ///   or `MemoryAPIError` `.authentication` when an HTTP target has no key.
    public static func open(
        _ spec: String, orgID: String? = nil, projectID: String? = nil, apiVersion: String? = nil, rate: Int? = nil,
        concurrency: Int = 8, apiKeyVariable: String = "MEM0_API_KEY",
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> any MemoryTarget {
        let spec = resolve(spec, environment: environment)
        if spec.hasPrefix("embedded:") {
            let path = String(spec.dropFirst("embedded:".count))
            guard !path.isEmpty else {
                throw PipelineError(.usage, "embedded: needs a path, e.g. embedded:./memport.db")
            }
            let project =
                orgID.map { ProjectContext(orgID: $0, projectID: projectID ?? "default-project") } ?? .default
            return try EmbeddedTarget(path: path, project: project)
        }
        guard spec.hasPrefix("http://") || spec.hasPrefix("https://") else {
            throw PipelineError(.usage, "a target is embedded:PATH, mem0 or an http(s):// URL, got '\(spec)'")
        }
        let version: APIVersion = apiVersion == "v1" ? .v1 : .v3
        var env = environment
        if apiKeyVariable != "MEM0_API_KEY" { env["MEM0_API_KEY"] = environment[apiKeyVariable] }
        guard env["MEM0_API_KEY"]?.isEmpty == false else {
            throw MemoryAPIError(.authentication, "no API key for \(HTTPTarget.describe(spec)): set \(apiKeyVariable)")
        }
        return try HTTPTarget(
            baseURL: spec, apiKey: nil, apiVersion: version, orgID: orgID, projectID: projectID, rate: rate,
            concurrency: concurrency, environment: env)
    }

    /// The name that stands for the Mem0 the official `mem0` CLI talks to.
    public static let mem0Alias = "mem0"
    /// The hosted platform.
    public static let hostedPlatform = "https://api.mem0.ai"

    /// A target spec with the `mem0` alias resolved as the official `mem0` CLI resolves its base
    /// URL: `$MEM0_BASE_URL` when set (trailing slashes dropped), else the hosted platform.
    /// Any other spec comes back unchanged.
    public static func resolve(_ spec: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> String
    {
        guard spec == mem0Alias else { return spec }
        var base = environment["MEM0_BASE_URL"]?.trimmingCharacters(in: .whitespaces) ?? ""
        while base.hasSuffix("/") { base.removeLast() }
        return base.isEmpty ? hostedPlatform : base
    }

    /// Whether a spec names a target: `embedded:PATH`, `mem0` or an `http(s)://` URL.
    public static func isTargetSpec(_ spec: String) -> Bool {
        spec == mem0Alias || spec.hasPrefix("embedded:") || spec.hasPrefix("http://") || spec.hasPrefix("https://")
    }
}
