import Foundation
import MemoryAPI
import MemoryStore

/// Delivers the units of an import to a target under DESIGN's invariants: every unit's state
/// and the target's answer go to the ledger; a crash at any moment loses and duplicates nothing.
///
/// A chunk of up to `chunkSize` units is written `in_flight` in one transaction before any of
/// it is sent; its units then run through `UnitLifecycle` with at most `concurrency` calls in
/// flight (across chunks, so a slow unit does not stall the next chunk); when its last unit
/// finishes, the chunk's answers and rejects are recorded in one transaction. Targets that
/// apply many adds in one transaction (the embedded store) get whole chunks at once.
public struct ImportEngine: Sendable {
    /// How the engine runs.
    public struct Options: Sendable, Hashable {
        /// Units per chunk, at most 1000.
        public var chunkSize: Int
        /// Calls in flight at once.
        public var concurrency: Int
        /// What to do with the units.
        public var operation: PipelineSpec.Operation
        /// Sends per unit and run.
        public var maxAttempts: Int
        /// The pause between polls of a queued add.
        public var pollInterval: Duration
        /// How long one run polls a queued add before leaving it for a later run.
        public var pollTimeout: Duration

        /// Creates options.
        public init(
            chunkSize: Int = 1000, concurrency: Int = 8, operation: PipelineSpec.Operation = .add,
            maxAttempts: Int = 4, pollInterval: Duration = .milliseconds(200), pollTimeout: Duration = .seconds(120)
        ) {
            self.chunkSize = min(max(chunkSize, 1), BatchRequest<BatchUpdateItem>.maxItems)
            self.concurrency = max(concurrency, 1)
            self.operation = operation
            self.maxAttempts = maxAttempts
            self.pollInterval = pollInterval
            self.pollTimeout = pollTimeout
        }
    }

    /// The ledger.
    public let ledger: Ledger
    /// Where the units go.
    public let target: any MemoryTarget
    /// How to run.
    public let options: Options
    /// What the target already holds, asked before each chunk of adds is sent; nil asks nothing.
    public let existingKeys: ExistingKeyIndex?

    /// Creates an engine.
    public init(ledger: Ledger, target: any MemoryTarget, options: Options, existingKeys: ExistingKeyIndex? = nil) {
        self.ledger = ledger
        self.target = target
        self.options = options
        self.existingKeys = existingKeys
    }

    /// Runs one pass of the job over the reader's units.
    ///
    /// - Parameters:
    ///   - jobID: the job, already opened in the ledger.
    ///   - reader: the units, in input order.
    ///   - progress: called with fresh counters now and then, and once at the end.
    ///   - detected: called once per source with what was detected.
    /// - Returns: how the run ended and its counters. Cancellation (Ctrl-C) ends it as
    ///   `interrupted` with the ledger consistent; it does not throw.
    /// - Throws: `PipelineError` when the ledger cannot be written.
    public func run(
        jobID: String, reader: any UnitSource, bytesTotal: Int64?,
        progress: @escaping @Sendable (ImportProgress) -> Void = { _ in },
        detected: @escaping @Sendable (SourceReport) -> Void = { _ in }
    ) async throws -> ImportSummary {
        var run = ImportRun(
            engine: self, jobID: jobID, reader: reader, bytesTotal: bytesTotal, progress: progress, detected: detected)
        return try await run.execute()
    }
}

/// One chunk of work in flight.
struct WorkChunk {
    var seq: Int
    var items: [WorkItem]
    var next = 0
    var remaining: Int
    var finished: [LedgerUnit] = []
    var rejects: [LedgerReject] = []
    /// The add calls of `items` (in order, batch update items left out), prepared by a
    /// ``ChunkApplyingTarget`` while the previous chunk was applied.
    var prepared: PreparedAdds?
}

/// One unit to drive, with what the ledger knew of it.
struct WorkItem: Sendable {
    var unit: ImportUnit
    var previous: LedgerUnit?
    var chunk: Int
    /// The unit's ledger row as first built (state pending), which each outcome starts from.
    var row: LedgerUnit
}

/// What driving one unit produced.
struct Driven: Sendable {
    var chunk: Int
    var row: LedgerUnit
    var reject: LedgerReject?
    var stopJob: String?
    var interrupted: Bool
}
