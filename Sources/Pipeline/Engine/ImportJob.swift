import Foundation
import MemoryAPI
import Reading

/// Runs import jobs end to end: resolves the sources, opens the ledger, the job and the target,
/// runs the engine and closes everything. `import`, `run`, `resume`, `rejects --replay`,
/// `restore` and `migrate` are thin wrappers around it, and every one of them ends in
/// ``execute(_:ledger:target:progress:detected:)``.
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
    /// - Parameter variant: a name that makes a job of its own out of the same spec (restore's
    ///   upsert passes), so each resumes separately.
    /// - Parameter transform: maps each unit the reader makes (nil drops it).
    /// - Throws: `PipelineError` (`.usage`, `.inputNotFound`, `.ledger`, `.target`) before any
    ///   unit moves, or `MemoryAPIError` `.authentication` when there is no key.
    public func run(
        _ spec: PipelineSpec, variant: String? = nil,
        transform: (@Sendable (ImportUnit) -> ImportUnit?)? = nil,
        progress: @escaping @Sendable (ImportProgress) -> Void = { _ in },
        detected: @escaping @Sendable (SourceReport) -> Void = { _ in },
        skipped: (SkippedInput) -> Void = { _ in }
    ) async throws -> ImportSummary {
        try spec.validate()
        let sources = try InputResolver.resolve(spec.sources, skipped: skipped)
        var stored = spec
        stored.sources = sources.map { $0.isStandardInput ? "-" : $0.identity }
        let jobID = spec.jobID(resolvedSources: stored.sources + (variant.map { [$0] } ?? []))
        let described = JSONValue.array(
            sources.map { s in
                .object(["source": .string(s.identity), "size": s.regularFileSize.map { .int($0) } ?? .null])
            })
        let options = try spec.importOptions()
        let ledger = try Ledger(directory: stateDirectory)
        // Input rejects a replay resolved: their records are still bad in the input, but their
        // fixed copies were imported, so a run counts them as `fixed_by_replay`, not as rejects.
        let resolved = try await ledger.resolvedInputRejects(jobID: jobID)
        let input = ImportInput.reading(bytesTotal: Self.totalBytes(sources)) {
            let reader = ResolvedRejectsFilter(ImportReader(sources: sources, options: options), resolved: resolved)
            guard let transform else { return reader }
            return UnitFilter(reader, transform: transform)
        }
        let plan = JobPlan(
            jobID: jobID, spec: stored, sources: described, input: input, preparation: .clearRecordRejects,
            options: engineOptions(spec))
        return try await execute(plan, ledger: ledger, progress: progress, detected: detected)
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
        try await Self.spec(of: jobID, in: try Ledger(directory: stateDirectory), stateDirectory: stateDirectory)
    }

    static func spec(of jobID: String, in ledger: Ledger, stateDirectory: URL) async throws -> PipelineSpec {
        guard let job = try await ledger.job(jobID) else {
            throw PipelineError(.jobNotFound, "no job '\(jobID)' in \(stateDirectory.path)")
        }
        do {
            return try JSONDecoder().decode(PipelineSpec.self, from: Data(job.spec.utf8))
        } catch {
            throw PipelineError(.ledger, "job \(job.id) has an unreadable spec: \(MemoryAPIError.describe(error))")
        }
    }

    /// Feeds a job's rejects through again, as the rejects file now holds them (a user may fix a
    /// record there first): refused units are sent again under their import keys; input records
    /// are mapped again through the job's adapter and options (`RejectReplay`), and an input
    /// reject whose fixed record imports is resolved, so it leaves the file and a later run over
    /// the unfixed input does not list it again.
    ///
    /// - Parameter adjust: changes to the recorded spec (delivery flags: rate, concurrency, ...).
    /// - Returns: the run's summary, and how many rejects could not be replayed (a record cut
    ///   short in the file, a line with no record).
    public func replayRejects(
        _ jobID: String, progress: @escaping @Sendable (ImportProgress) -> Void = { _ in },
        adjust: (inout PipelineSpec) -> Void = { _ in }
    ) async throws -> (ImportSummary, notReplayable: Int) {
        var spec = try await self.spec(of: jobID)
        adjust(&spec)
        try spec.validate()
        let ledger = try Ledger(directory: stateDirectory)
        guard let job = try await ledger.job(jobID) else {
            throw PipelineError(.jobNotFound, "no job '\(jobID)' in \(stateDirectory.path)")
        }
        let path = RejectsFile.path(stateDirectory: stateDirectory, jobID: job.id)
        let lines = try RejectsFile.read(path: path)
        let replay = RejectReplay(options: try spec.importOptions())
        var units: [ImportUnit] = []
        var events: [ImportEvent] = []
        var inputs: [(id: String, mapped: RejectReplay.Mapped)] = []
        var notReplayable = 0
        for line in lines {
            if line.kind == .unit {
                guard let unit = line.unit(operation: spec.operation) else {
                    notReplayable += 1
                    continue
                }
                units.append(unit)
            } else if let mapped = replay.map(line), let id = line.id {
                events += mapped.events
                inputs.append((id, mapped))
            } else {
                notReplayable += 1
            }
        }
        let replayed = units.map(ImportEvent.unit) + events
        let plan = JobPlan(
            jobID: job.id, spec: spec, sources: (try? JSONValue.parse(job.sources)) ?? .array([]),
            input: .reading { ReplaySource(events: replayed) }, preparation: .reopen(keys: units.map(\.importKey)),
            options: engineOptions(spec))
        var summary = try await execute(plan, ledger: ledger, progress: progress)
        // An input reject is resolved when its fixed record no longer has it and every unit it
        // gave is settled (delivered, already there, or refused: then it is a unit reject now).
        let keys = inputs.flatMap { $0.mapped.unitKeys }
        let states = try await ledger.units(jobID: job.id, keys: keys)
        let resolved = inputs.filter { input in
            !input.mapped.rejectKeys.contains(input.id)
                && input.mapped.unitKeys.allSatisfy { states[$0]?.state.isFinal == true }
        }.map { $0.id }
        if !resolved.isEmpty {
            try await ledger.resolveRejects(jobID: job.id, keys: resolved)
            summary.rejectsFile = try await RejectsFile.write(ledger: ledger, jobID: job.id)
        }
        return (summary, notReplayable)
    }

    /// Opens the job (and the ledger and target when not given), runs it, and closes the
    /// target it opened: the one way every command runs a job.
    public func execute(
        _ plan: JobPlan, ledger: Ledger? = nil, target: (any MemoryTarget)? = nil,
        progress: @escaping @Sendable (ImportProgress) -> Void = { _ in },
        detected: @escaping @Sendable (SourceReport) -> Void = { _ in }
    ) async throws -> ImportSummary {
        let ledger = try ledger ?? Ledger(directory: stateDirectory)
        if let target {
            return try await Self.execute(plan, ledger: ledger, target: target, progress: progress, detected: detected)
        }
        let opened = try await connect(plan.spec)
        do {
            let summary = try await Self.execute(
                plan, ledger: ledger, target: opened, progress: progress, detected: detected)
            await opened.close()
            return summary
        } catch {
            await opened.close()
            throw error
        }
    }

    /// Opens the job in `ledger` and runs the engine over the plan's input into `target`.
    public static func execute(
        _ plan: JobPlan, ledger: Ledger, target: any MemoryTarget,
        progress: @escaping @Sendable (ImportProgress) -> Void = { _ in },
        detected: @escaping @Sendable (SourceReport) -> Void = { _ in }
    ) async throws -> ImportSummary {
        let specJSON = try JSONValue(encoding: plan.spec).jsonString()
        _ = try await ledger.openJob(
            id: plan.jobID, spec: specJSON, target: target.description, sources: plan.sources.jsonString())
        switch plan.preparation {
        case .none: break
        case .clearRecordRejects: try await ledger.clearRecordRejects(jobID: plan.jobID)
        case .reopen(let keys): try await ledger.reopen(jobID: plan.jobID, keys: keys)
        }
        let asks = plan.asksTarget && plan.options.operation == .add
        let engine = ImportEngine(
            ledger: ledger, target: target, options: plan.options,
            existingKeys: asks ? ExistingKeyIndex(target: target) : nil)
        return try await engine.run(jobID: plan.jobID, input: plan.input, progress: progress, detected: detected)
    }

    func open(_ spec: PipelineSpec) throws -> any MemoryTarget {
        try TargetFactory.open(
            spec.target, orgID: spec.orgID, projectID: spec.projectID, apiVersion: spec.apiVersion,
            rate: spec.rate, concurrency: spec.concurrency,
            apiKeyVariable: apiKeyVariable, environment: environment)
    }

    func engineOptions(_ spec: PipelineSpec) -> ImportEngine.Options {
        .init(chunkSize: spec.chunkSize, concurrency: spec.concurrency, operation: spec.operation)
    }

    /// Opens the spec's target and checks it can be reached before anything is sent (a
    /// refused connection ends the job at once, naming the cause).
    func connect(_ spec: PipelineSpec) async throws -> any MemoryTarget {
        let target = try open(spec)
        do {
            try await target.preflight()
        } catch {
            await target.close()
            throw error
        }
        return target
    }

    /// The inputs' total size on disk (compressed bytes for gzip, which progress counts
    /// consumed bytes against), when every one is a regular file; nil with stdin, a pipe or a
    /// FIFO. Nothing is read: a stream is read once, by the reader.
    static func totalBytes(_ sources: [InputSource]) -> Int64? {
        var total: Int64 = 0
        for s in sources {
            guard let size = s.regularFileSize else { return nil }
            total += size
        }
        return total
    }
}
