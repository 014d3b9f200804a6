import Foundation
import MemoryAPI

/// Runs import jobs end to end: resolves the sources, opens the ledger and the job, opens the
/// target, runs the engine, and closes everything. The commands `import`, `run`, `resume` and
/// `rejects --replay` are thin wrappers around it.
public struct ImportJob: Sendable {
    /// The state directory (`.memport/` by default).
    public var stateDirectory: URL
    /// The environment variable that holds the API key of HTTP targets.
    public var apiKeyVariable: String
    /// The process environment.
    public var environment: [String: String]

    /// Creates a runner.
    public init(
        stateDirectory: URL, apiKeyVariable: String = "MEM0_API_KEY",
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.stateDirectory = stateDirectory
        self.apiKeyVariable = apiKeyVariable
        self.environment = environment
    }

    /// Runs (or continues) the job a spec describes.
    ///
    /// - Throws: `PipelineError` (`.usage`, `.inputNotFound`, `.ledger`, `.target`) before any
    ///   unit moves, or `MemoryAPIError` `.authentication` when there is no key.
    public func run(
        _ spec: PipelineSpec, progress: @escaping @Sendable (ImportProgress) -> Void = { _ in },
        detected: @escaping @Sendable (SourceReport) -> Void = { _ in }
    ) async throws -> ImportSummary {
        try spec.validate()
        let sources = try InputResolver.resolve(spec.sources)
        var stored = spec
        stored.sources = sources.map { $0.isStandardInput ? "-" : $0.identity }
        let jobID = spec.jobID(resolvedSources: stored.sources)
        let ledger = try Ledger(directory: stateDirectory)
        let target = try open(spec)
        let specJSON = try JSONValue(encoding: stored).jsonString()
        let sourcesJSON = JSONValue.array(
            sources.map { s in .object(["source": .string(s.identity), "size": Self.size(s).map { .int($0) } ?? .null])
            }
        ).jsonString()
        _ = try await ledger.openJob(id: jobID, spec: specJSON, target: target.description, sources: sourcesJSON)
        try await ledger.clearRecordRejects(jobID: jobID)
        let reader = ImportReader(sources: sources, options: try spec.importOptions())
        let summary: ImportSummary
        do {
            summary = try await engine(spec, ledger: ledger, target: target).run(
                jobID: jobID, reader: reader, bytesTotal: Self.totalBytes(sources), progress: progress,
                detected: detected)
        } catch {
            await target.close()
            throw error
        }
        await target.close()
        return summary
    }

    /// Continues a job by id (or a unique prefix), with the spec the ledger recorded.
    public func resume(
        _ jobID: String, progress: @escaping @Sendable (ImportProgress) -> Void = { _ in },
        detected: @escaping @Sendable (SourceReport) -> Void = { _ in }
    ) async throws -> ImportSummary {
        let spec = try await self.spec(of: jobID)
        if spec.sources.contains("-") {
            throw PipelineError(
                .usage, "job \(jobID) read stdin, which cannot be read again; pipe the input to the same command")
        }
        return try await run(spec, progress: progress, detected: detected)
    }

    /// The spec a job was recorded with.
    public func spec(of jobID: String) async throws -> PipelineSpec {
        let ledger = try Ledger(directory: stateDirectory)
        guard let job = try await ledger.job(jobID) else {
            throw PipelineError(.jobNotFound, "no job '\(jobID)' in \(stateDirectory.path)")
        }
        do {
            return try JSONDecoder().decode(PipelineSpec.self, from: Data(job.spec.utf8))
        } catch {
            throw PipelineError(.ledger, "job \(job.id) has an unreadable spec: \(MemoryAPIError.describe(error))")
        }
    }

    /// Feeds a job's rejected units through again, as the rejects file now holds them (a user
    /// may fix a record there first). Record-level rejects (unreadable input) are not units:
    /// fix the input and run the job again.
    ///
    /// - Returns: the run's summary, and how many rejects could not be replayed.
    public func replayRejects(
        _ jobID: String, progress: @escaping @Sendable (ImportProgress) -> Void = { _ in }
    ) async throws -> (ImportSummary, notReplayable: Int) {
        let spec = try await self.spec(of: jobID)
        let ledger = try Ledger(directory: stateDirectory)
        guard let job = try await ledger.job(jobID) else {
            throw PipelineError(.jobNotFound, "no job '\(jobID)' in \(stateDirectory.path)")
        }
        let path = RejectsFile.path(stateDirectory: stateDirectory, jobID: job.id)
        let lines = try RejectsFile.read(path: path)
        var units: [ImportUnit] = []
        var notReplayable = 0
        for line in lines {
            guard let unit = line.unit(operation: spec.operation) else {
                notReplayable += 1
                continue
            }
            units.append(unit)
        }
        try await ledger.reopen(jobID: job.id, keys: units.map(\.importKey))
        let target = try open(spec)
        let summary: ImportSummary
        do {
            summary = try await engine(spec, ledger: ledger, target: target).run(
                jobID: job.id, reader: ReplaySource(units: units), bytesTotal: nil, progress: progress)
        } catch {
            await target.close()
            throw error
        }
        await target.close()
        return (summary, notReplayable)
    }

    func open(_ spec: PipelineSpec) throws -> any MemoryTarget {
        try TargetFactory.open(
            spec.target, orgID: spec.orgID, projectID: spec.projectID, apiVersion: spec.apiVersion,
            rate: spec.target.hasPrefix("http") && spec.rate == 0 ? nil : spec.rate, concurrency: spec.concurrency,
            apiKeyVariable: apiKeyVariable, environment: environment)
    }

    func engine(_ spec: PipelineSpec, ledger: Ledger, target: any MemoryTarget) -> ImportEngine {
        ImportEngine(
            ledger: ledger, target: target,
            options: .init(chunkSize: spec.chunkSize, concurrency: spec.concurrency, operation: spec.operation),
            existingKeys: spec.operation == .add ? ExistingKeyIndex(target: target) : nil)
    }

    static func size(_ source: InputSource) -> Int64? {
        guard !source.isStandardInput,
            let attrs = try? FileManager.default.attributesOfItem(atPath: source.identity),
            let size = attrs[.size] as? NSNumber
        else { return nil }
        return size.int64Value
    }

    /// The total uncompressed size when every source is a plain file; nil when any is gzip or stdin.
    static func totalBytes(_ sources: [InputSource]) -> Int64? {
        var total: Int64 = 0
        for s in sources {
            guard let size = size(s), let handle = FileHandle(forReadingAtPath: s.identity) else { return nil }
            let magic = (try? handle.read(upToCount: 2)) ?? Data()
            try? handle.close()
            if magic == Data([0x1F, 0x8B]) { return nil }
            total += size
        }
        return total
    }
}
