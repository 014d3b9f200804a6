import ArgumentParser
import Pipeline

/// How a job delivers and reports, the same on every command that delivers (import, run,
/// resume, rejects --replay, restore, migrate).
struct DeliveryOptions: ParsableArguments {
    @Option(
        help:
            "Requests per minute, held fixed; 0 is unpaced against any host (default: learn the target's limit from its X-RateLimit headers or 429s, starting at 950 on the hosted platform, else unpaced)."
    )
    var rate: Rate?

    @Option(help: "Calls in flight at once, 1 to 256 (default 8).")
    var concurrency: Int?

    @Option(help: "Units per chunk, 1 to 1000 (default 1000).")
    var chunkSize: Int?

    @Option(help: "Progress on stderr: auto (a bar on a terminal, lines otherwise), plain, json or none.")
    var progress: ProgressMode = .auto

    @Option(help: "Write the summary as JSON to this file.")
    var summaryJson: String?

    @Flag(help: "Exit 6 when the job finished with rejects.")
    var failOnRejects = false

    func validate() throws {
        if let concurrency, !(1...256).contains(concurrency) {
            throw ValidationError("--concurrency must be 1 to 256, got \(concurrency)")
        }
        if let chunkSize, !(1...1000).contains(chunkSize) {
            throw ValidationError("--chunk-size must be 1 to 1000, got \(chunkSize)")
        }
    }

    /// Applies the flags that were given over a spec.
    func apply(to spec: inout PipelineSpec) {
        if let chunkSize { spec.chunkSize = chunkSize }
        if let concurrency { spec.concurrency = concurrency }
        if let rate { spec.rate = rate }
        if failOnRejects { spec.failOnRejects = true }
    }
}

/// How progress is shown.
enum ProgressMode: String, ExpressibleByArgument, CaseIterable {
    case auto, plain, json, none
}
