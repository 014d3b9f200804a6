import Foundation
import MemoryAPI
import Reading

/// `memport migrate --from T1 --to T2`: streams the export of one target into an import to the
/// other, with no intermediate file.
///
/// The source is paged as an export is (every entity, each memory once, or `--filters`); the
/// pages become add units through the `mem0` preset's mapping and stream into one run of the
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

    /// Creates a migration.
    public init(
        source: any MemoryTarget, destination: any MemoryTarget, ledger: Ledger, filters: MemoryFilter? = nil,
        chunkSize: Int = 1000, concurrency: Int = 8
    ) {
        self.source = source
        self.destination = destination
        self.ledger = ledger
        self.filters = filters
        self.chunkSize = chunkSize
        self.concurrency = concurrency
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

    /// Runs (or continues) the migration: the source's pages stream into one engine run, one
    /// job in the ledger.
    ///
    /// - Returns: the run's summary; `interrupted` when cancelled (Ctrl-C).
    /// - Throws: the source's `MemoryAPIError` when it cannot be read (after what was delivered
    ///   is recorded), or `PipelineError` `.ledger`.
    public func run(progress: @escaping @Sendable (ImportProgress) -> Void = { _ in }) async throws -> ImportSummary {
        var spec = PipelineSpec(
            sources: [sourceIdentity], preset: .mem0, target: try TargetSpec(destination.description),
            chunkSize: chunkSize,
            concurrency: concurrency)
        spec.format = .ndjson
        let (source, filters, identity) = (self.source, self.filters, sourceIdentity)
        let input = ImportInput.producing { sink in
            let builder = UnitBuilder(
                adapter: "mem0", source: SourceFingerprint(identity: identity, size: nil, modified: nil, headHash: ""),
                options: AdapterOptions())
            let adapter = Mem0DumpAdapter(builder: builder)
            var pager = ExportPager(
                target: source, state: try await ExportPager.start(target: source, filters: filters))
            var read = 0
            var out: [AdapterOutput] = []
            while let next = try await pager.next() {
                for memory in next.memories {
                    read += 1
                    adapter.emit(memory, locator: RecordLocator(file: source.description), into: &out)
                    for item in out {
                        let event: ImportEvent
                        switch item {
                        case .unit(let unit): event = .unit(unit)
                        case .reject(let reject): event = .reject(reject)
                        case .skipped(let reason, let count): event = .skipped(reason: reason, count: count)
                        }
                        guard await sink.yield(event, records: read) else { return }
                    }
                    out.removeAll(keepingCapacity: true)
                }
            }
        }
        let plan = JobPlan(
            jobID: jobID, spec: spec, sources: .array([.object(["source": .string(sourceIdentity)])]), input: input,
            options: .init(chunkSize: chunkSize, concurrency: concurrency, operation: .add))
        return try await ImportJob.execute(plan, ledger: ledger, target: destination, progress: progress)
    }
}
