import ArgumentParser
import Foundation
import MemoryClient
import Pipeline

/// How to reach a target once it is named: organisation, project, API paths and key variable.
/// The same flags on every command that talks to a target.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("org-id"), help: "The organisation, for targets that take one.")
    var orgID: String?

    @Option(name: .customLong("project-id"), help: "The project, for targets that take one.")
    var projectID: String?

    @Option(help: "HTTP API paths: v1 (SDK 0.1.x), v2 (SDK 1.x) or v3 (SDK 2.x; the default).")
    var apiVersion: APIVersion?

    @Option(name: .customLong("api-key-env"), help: "The environment variable holding the API key.")
    var apiKeyEnv = "MEM0_API_KEY"

    /// Opens a target with these flags.
    func open(
        _ target: TargetSpec, keyVariable: String? = nil, rate: Rate? = nil, concurrency: Int = 8
    ) throws -> any MemoryTarget {
        try TargetFactory.open(
            target, orgID: orgID, projectID: projectID, apiVersion: apiVersion, rate: rate, concurrency: concurrency,
            apiKeyVariable: keyVariable ?? apiKeyEnv)
    }

    /// Applies the flags that were given over a spec.
    func apply(to spec: inout PipelineSpec) {
        if let orgID { spec.orgID = orgID }
        if let projectID { spec.projectID = projectID }
        if let apiVersion { spec.apiVersion = apiVersion }
    }
}

extension APIVersion: ExpressibleByArgument {}

extension TargetSpec: ExpressibleByArgument {
    /// `embedded:PATH` or an `http(s)://` URL; anything else is a usage error (exit 2).
    public init?(argument: String) {
        guard let parsed = try? TargetSpec(argument) else { return nil }
        self = parsed
    }

}

extension Rate: ExpressibleByArgument {
    /// A whole number of requests per minute; 0 is unpaced.
    public init?(argument: String) {
        guard let n = Int(argument), let rate = try? Rate(requestsPerMinute: n) else { return nil }
        self = rate
    }

    /// The number form.
    public var defaultValueDescription: String { String(requestsPerMinute) }
}

/// Runs `body`, then closes `target` whether it threw or not.
func closing<T: Sendable>(_ target: any MemoryTarget, _ body: () async throws -> T) async throws -> T {
    do {
        let value = try await body()
        await target.close()
        return value
    } catch {
        await target.close()
        throw error
    }
}
