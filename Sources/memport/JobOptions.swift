import ArgumentParser
import Foundation
import Pipeline

/// Flags shared by the commands that run jobs: where to deliver, how fast, where the ledger lives.
struct JobOptions: ParsableArguments {
    @Option(
        help:
            "embedded:PATH, an http(s):// base URL, or mem0 ($MEM0_BASE_URL, else the hosted platform); key in MEM0_API_KEY."
    )
    var target: String?

    @Option(name: .customLong("org-id"), help: "The organisation, for targets that take one.")
    var orgID: String?

    @Option(name: .customLong("project-id"), help: "The project, for targets that take one.")
    var projectID: String?

    @Option(help: "HTTP API paths: v1 (SDK 0.1.x/1.x) or v3 (SDK 2.x).")
    var apiVersion: String?

    @Option(help: "Units per chunk, 1 to 1000.")
    var chunkSize: Int?

    @Option(help: "Calls in flight at once.")
    var concurrency: Int?

    @Option(help: "Requests per minute; 0 is unpaced (default: 900 for the hosted platform, else unpaced).")
    var rate: Int?

    @Option(help: "Where the job ledger lives.")
    var stateDir = ".memport"

    @Option(help: "Progress on stderr: auto (a bar on a terminal, lines otherwise), plain, json or none.")
    var progress: ProgressMode = .auto

    @Flag(help: "Exit 6 when the job finished with rejects.")
    var failOnRejects = false

    /// Applies the flags that were given over a spec.
    func apply(to spec: inout PipelineSpec) {
        if let target { spec.target = target }
        if let orgID { spec.orgID = orgID }
        if let projectID { spec.projectID = projectID }
        if let apiVersion { spec.apiVersion = apiVersion }
        if let chunkSize { spec.chunkSize = chunkSize }
        if let concurrency { spec.concurrency = concurrency }
        if let rate { spec.rate = rate }
        if failOnRejects { spec.failOnRejects = true }
    }

    var stateDirectory: URL { URL(fileURLWithPath: stateDir) }
}

/// How progress is shown.
enum ProgressMode: String, ExpressibleByArgument, CaseIterable {
    case auto, plain, json, none
}
