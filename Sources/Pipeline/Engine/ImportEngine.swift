import Foundation
import MemoryAPI
import Reading

/// Delivers the units of an import to a target under DESIGN's invariants: every unit's state
/// and the target's answer go to the ledger; a crash at any moment loses and duplicates nothing.
///
/// The decisions are `ImportStateMachine`'s; `ImportRun` executes them. A chunk of up to
/// `chunkSize` units is written `in_flight` in one transaction before any of it is sent; its
/// units then run through `UnitLifecycle` with at most `concurrency` calls in flight (across
/// chunks, so a slow unit does not stall the next chunk); when its last unit finishes, the
/// chunk's answers and rejects are recorded in one transaction. Targets that apply many adds
/// in one transaction (the embedded store) get whole chunks at once, in order.
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
            maxAttempts: Int = 8, pollInterval: Duration = .milliseconds(200), pollTimeout: Duration = .seconds(120)
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

    /// Runs one pass of the job over the input's units.
    ///
    /// - Parameters:
    ///   - jobID: the job, already opened in the ledger.
    ///   - input: the units, in input order.
    ///   - progress: called with fresh counters now and then, and once at the end.
    ///   - detected: called once per source with what was detected.
    /// - Returns: how the run ended and its counters. Cancellation (Ctrl-C) ends it as
    ///   `interrupted` with the ledger consistent; it does not throw.
    /// - Throws: `PipelineError` when the ledger cannot be written, or the error an input
    ///   producer (a migration's source) failed with, after what was delivered is recorded.
    public func run(
        jobID: String, input: ImportInput,
        progress: @escaping @Sendable (ImportProgress) -> Void = { _ in },
        detected: @escaping @Sendable (SourceReport) -> Void = { _ in }
    ) async throws -> ImportSummary {
        let run = ImportRun(engine: self, jobID: jobID, input: input, progress: progress, detected: detected)
        return try await run.execute()
    }
}
