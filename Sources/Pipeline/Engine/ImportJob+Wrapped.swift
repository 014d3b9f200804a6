import Foundation
import MemoryAPI

extension ImportJob {
    /// Runs a spec's inputs through a wrapper around the reader (restore's upsert passes), as a
    /// job of its own: `variant` is part of the job id, so each pass resumes separately.
    public func run(
        _ spec: PipelineSpec, source variant: String, progress: @escaping @Sendable (ImportProgress) -> Void,
        wrap: (ImportReader) -> any UnitSource
    ) async throws -> ImportSummary {
        // `mem0` is resolved first, so the job's identity names the URL it delivers to.
        var spec = spec
        spec.target = TargetFactory.resolve(spec.target, environment: environment)
        try spec.validate()
        let sources = try InputResolver.resolve(spec.sources)
        var stored = spec
        stored.sources = sources.map(\.identity)
        let jobID = spec.jobID(resolvedSources: stored.sources + [variant])
        let ledger = try Ledger(directory: stateDirectory)
        let target = try open(spec)
        let specJSON = try JSONValue(encoding: stored).jsonString()
        let sourcesJSON = JSONValue.array(sources.map { .object(["source": .string($0.identity)]) }).jsonString()
        _ = try await ledger.openJob(id: jobID, spec: specJSON, target: target.description, sources: sourcesJSON)
        let reader = wrap(ImportReader(sources: sources, options: try spec.importOptions()))
        do {
            let summary = try await engine(spec, ledger: ledger, target: target).run(
                jobID: jobID, reader: reader, bytesTotal: nil, progress: progress)
            await target.close()
            return summary
        } catch {
            await target.close()
            throw error
        }
    }
}
