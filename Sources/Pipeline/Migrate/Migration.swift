import Foundation
import MemoryAPI

/// `memport migrate --from T1 --to T2`: streams the export of one target into an import to the
/// other, with no intermediate file.
///
/// The source is paged as an export is (every entity, each memory once, or `--filters`); each
/// batch of pages becomes add units through the `mem0` preset's mapping and goes through the
/// import engine, whose ledger delivers every unit exactly once. The units' import keys hash the
/// source target and the source memory's id (not a position), so re-running the same command
/// after an interruption re-reads the source and sends only what is not yet confirmed.
public struct Migration: Sendable {
    /// Where memories come from.
    public let source: any MemoryTarget
    /// Where they go.
    public let destination: any MemoryTarget
    /// The job ledger.
    public let ledger: Ledger
    /// Only the memories this filter selects; nil migrates every entity.
    public let filters: MemoryFilter?
    /// Units per engine chunk.
    public let chunkSize: Int
    /// Calls in flight at once.
    public let concurrency: Int
    /// Memories read from the source per engine run.
    public let batchSize: Int

    /// Creates a migration.
    public init(
        source: any MemoryTarget, destination: any MemoryTarget, ledger: Ledger, filters: MemoryFilter? = nil,
        chunkSize: Int = 1000, concurrency: Int = 8, batchSize: Int = 2000
    ) {
        self.source = source
        self.destination = destination
        self.ledger = ledger
        self.filters = filters
        self.chunkSize = chunkSize
        self.concurrency = concurrency
        self.batchSize = max(batchSize, 1)
    }

    /// The source's identity in import keys.
    var sourceIdentity: String { "migrate:" + source.description }

    /// The job id: the same source, destination and filter continue the same job.
    public var jobID: String {
        let text = [
            "memport-migrate-v1", source.description, destination.description, filters?.json.jsonString() ?? "-",
        ]
        .joined(separator: "\u{1E}")
        return "migrate-" + String(SHA256.hex(text).prefix(12))
    }

    /// Runs (or continues) the migration.
    ///
    /// - Returns: the counters over every batch; `interrupted` when cancelled (Ctrl-C).
    /// - Throws: the source's `MemoryAPIError` when it cannot be read, or `PipelineError` `.ledger`.
    public func run(progress: @escaping @Sendable (ImportProgress) -> Void = { _ in }) async throws -> ImportSummary {
        var spec = PipelineSpec(
            sources: [sourceIdentity], preset: .mem0, target: destination.description, chunkSize: chunkSize,
            concurrency: concurrency)
        spec.format = .ndjson
        let specJSON = try JSONValue(encoding: spec).jsonString()
        let sourcesJSON = JSONValue.array([.object(["source": .string(sourceIdentity)])]).jsonString()
        _ = try await ledger.openJob(id: jobID, spec: specJSON, target: destination.description, sources: sourcesJSON)
        let engine = ImportEngine(
            ledger: ledger, target: destination,
            options: .init(chunkSize: chunkSize, concurrency: concurrency, operation: .add))
        let builder = UnitBuilder(
            adapter: "mem0",
            source: SourceFingerprint(identity: sourceIdentity, size: nil, modified: nil, headHash: ""),
            options: AdapterOptions())
        let adapter = Mem0DumpAdapter(builder: builder)
        let started = ContinuousClock.now
        var pager = ExportPager(
            target: source, state: try await ExportPager.start(target: source, filters: filters))
        var total = ImportProgress()
        var last: ImportSummary?
        var events: [ImportEvent] = []
        var read = 0
        var worst: JobState = .finished
        var interrupted = false
        while true {
            var next: (pass: ExportPass, memories: [Memory])?
            do {
                next = try await pager.next()
            } catch  where Task.isCancelled {
                interrupted = true
            }
            if let memories = next?.memories {
                for memory in memories {
                    var out: [AdapterOutput] = []
                    adapter.emit(memory, locator: RecordLocator(file: source.description), into: &out)
                    for item in out {
                        switch item {
                        case .unit(let unit): events.append(.unit(unit))
                        case .reject(let reject): events.append(.reject(reject))
                        case .skipped(let reason, let count): events.append(.skipped(reason: reason, count: count))
                        }
                    }
                }
                read += memories.count
            }
            let done = next == nil || interrupted
            if !events.isEmpty && (events.count >= batchSize || done) {
                let base = total
                let summary = try await engine.run(
                    jobID: jobID, reader: EventListSource(events: events, records: read), bytesTotal: nil,
                    progress: { p in progress(Self.merge(base, p)) })
                total = Self.merge(total, summary.progress)
                events.removeAll(keepingCapacity: true)
                read = 0
                last = summary
                switch summary.state {
                case .interrupted, .stopped:
                    worst = summary.state
                    interrupted = true
                case .incomplete:
                    if worst == .finished { worst = .incomplete }
                case .running, .finished:
                    break
                }
            }
            if Task.isCancelled && !interrupted {
                interrupted = true
                worst = .interrupted
            }
            if next == nil || interrupted { break }
        }
        if interrupted && worst == .finished { worst = .interrupted }
        total.elapsed = Exporter.seconds(ContinuousClock.now - started)
        try await ledger.endRun(jobID: jobID, state: worst, records: total.records, retries: 0, elapsed: 0)
        let counts = try await ledger.counts(jobID: jobID)
        return ImportSummary(
            jobID: jobID, target: destination.description, state: worst, progress: total,
            ledgerCounts: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
            stopReason: last?.stopReason, rejectsFile: last?.rejectsFile, nothingNew: false)
    }

    static func merge(_ a: ImportProgress, _ b: ImportProgress) -> ImportProgress {
        var out = a
        out.records += b.records
        out.units += b.units
        out.messages += b.messages
        out.confirmed += b.confirmed
        out.skippedExisting += b.skippedExisting
        out.rejects += b.rejects
        out.deferred += b.deferred
        out.retries += b.retries
        out.inFlight = b.inFlight
        for (k, v) in b.rejectsByReason { out.rejectsByReason[k, default: 0] += v }
        for (k, v) in b.skippedMessages { out.skippedMessages[k, default: 0] += v }
        return out
    }
}
