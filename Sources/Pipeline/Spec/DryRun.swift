import Foundation
import Reading

/// A dry run: reads and maps a spec's inputs exactly as delivery would (the same reader
/// configuration, `workers` included) and counts what would be sent, touching no target and
/// no ledger.
///
/// ```swift
/// let summary = try DryRun.run(try PipelineSpec.load(path: "pipelines/quickstart.yaml"))
/// print(summary.rendered())
/// ```
public enum DryRun {
    /// Reads every input of `spec` to the end.
    ///
    /// - Parameters:
    ///   - sampleLimit: how many rendered payloads and rejects the summary keeps.
    ///   - skipped: called with each input a directory walk left out, and why.
    /// - Throws: `PipelineError` `.usage` for an impossible reader limit, `.inputNotFound` when an
    ///   input matches nothing. Unreadable sources are listed in `failedSources`, not thrown.
    public static func run(
        _ spec: PipelineSpec, sampleLimit: Int = 3, skipped: (SkippedInput) -> Void = { _ in }
    ) throws -> DryRunSummary {
        try spec.validateReading()
        guard sampleLimit >= 0 else { throw PipelineError(.usage, "show must be 0 or more, got \(sampleLimit)") }
        let options = try spec.importOptions()
        let sources = try InputResolver.resolve(spec.sources, skipped: skipped)
        var summary = DryRunSummary(sampleLimit: sampleLimit)
        let reader = ImportReader(sources: sources, options: options)
        while let event = reader.next() { summary.add(event) }
        summary.records = reader.recordCount
        summary.inputBytes = reader.uncompressedBytes
        return summary
    }
}
