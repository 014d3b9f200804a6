import ArgumentParser
import Foundation
import MemoryAPI
import Pipeline

/// Flags of the commands that read a target: how to reach it and where checkpoints live.
struct SourceOptions: ParsableArguments {
    @Option(name: .customLong("org-id"), help: "The organisation, for targets that take one.")
    var orgID: String?

    @Option(name: .customLong("project-id"), help: "The project, for targets that take one.")
    var projectID: String?

    @Option(help: "HTTP API paths: v1 (SDK 0.1.x/1.x) or v3 (SDK 2.x).")
    var apiVersion: String?

    @Option(name: .customLong("api-key-env"), help: "The environment variable holding the API key.")
    var apiKeyEnv = "MEM0_API_KEY"

    @Option(help: "Where the ledger (export checkpoints, jobs) lives.")
    var stateDir = ".memport"

    /// Opens a target spec with these flags.
    func open(_ spec: String, keyVariable: String? = nil) throws -> any MemoryTarget {
        try TargetFactory.open(
            spec, orgID: orgID, projectID: projectID, apiVersion: apiVersion,
            apiKeyVariable: keyVariable ?? apiKeyEnv)
    }

    var stateDirectory: URL { URL(fileURLWithPath: stateDir) }
}

/// Parses `--filters` (inline JSON or @FILE): a bad filter is exit 2 naming its JSON path.
enum FilterArgument {
    static func parse(_ argument: String?) throws -> MemoryFilter? {
        guard let argument else { return nil }
        let text = try ArgumentInput.read(argument)
        do {
            return try MemoryFilter.parse(jsonText: text)
        } catch let error as MemoryAPIError {
            let at = error.path.map { error.message.contains($0) ? "" : " (at \($0))" } ?? ""
            FileHandle.standardError.write(Data("memport: invalid --filters: \(error.message)\(at)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
    }
}

extension ExportFormat: ExpressibleByArgument {}
extension EntityType: ExpressibleByArgument {
    /// `user_id`, `agent_id`, `app_id`, `run_id` (or the bare type).
    public init?(argument: String) {
        let bare = argument.hasSuffix("_id") ? String(argument.dropLast(3)) : argument
        self.init(rawValue: bare)
    }
}
extension Restore.Mode: ExpressibleByArgument {}

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
