import MemoryAPI
import Reading

/// The sans-I/O core of one import run: it takes what happened (a batch read, the ledger's
/// answer, a unit's answer, a chunk applied, a stop, an interrupt) and returns what to do next
/// (read, settle against the ledger, record in flight, send, look up, poll, apply, record the
/// answers, finish). It performs no I/O and owns no clock, so DESIGN's invariants are tested
/// without a network (`ImportStateMachineTests`):
///
/// - nothing is sent (or applied) before its unit is recorded `in_flight`;
/// - a unit's answer is recorded in the transaction that moves it (`recordAnswers`);
/// - after a stop or an interrupt nothing new is sent, and every chunk still open is recorded
///   before `finish`;
/// - a chunk closes (`recordAnswers` with `done`) only when all its units are final or deferred;
///   before that, its answers are recorded every `answersPerRecord` units, one write at a time;
/// - a unit the ledger holds `in_flight` (a crash) is looked up by its import key before it is
///   sent again (`UnitLifecycle`).
///
/// `ImportRun` is the thin driver that executes the actions against the ledger and a
/// `MemoryTarget` and feeds the results back.
public struct ImportStateMachine: Sendable {
    /// How the machine schedules work.
    public struct Configuration: Sendable, Hashable {
        /// Units per chunk, at most 1000.
        public var chunkSize: Int
        /// Calls in flight at once (units in progress, over HTTP).
        public var concurrency: Int
        /// What the units do.
        public var operation: PipelineSpec.Operation
        /// `true` when the target applies a whole chunk of adds at once (the embedded store):
        /// chunks go to it whole, one at a time and in order, prepared ahead.
        public var appliesChunks: Bool
        /// Sends per unit and run.
        public var maxAttempts: Int
        /// Chunks open at once (read ahead of the one being delivered).
        public var openChunks: Int
        /// Answers of a chunk still delivering that are recorded together, before it closes.
        public var answersPerRecord: Int

        /// Creates a configuration.
        public init(
            chunkSize: Int = 1000, concurrency: Int = 8, operation: PipelineSpec.Operation = .add,
            appliesChunks: Bool = false, maxAttempts: Int = 8, openChunks: Int = 2, answersPerRecord: Int = 250
        ) {
            self.chunkSize = min(max(chunkSize, 1), BatchRequest<BatchUpdateItem>.maxItems)
            self.concurrency = max(concurrency, 1)
            self.operation = operation
            self.appliesChunks = appliesChunks
            self.maxAttempts = max(maxAttempts, 1)
            self.openChunks = max(openChunks, 1)
            self.answersPerRecord = max(answersPerRecord, 1)
        }
    }

    /// One unit of an open chunk.
    public struct UnitRef: Sendable, Hashable, Comparable {
        /// The chunk's sequence number.
        public var chunk: Int
        /// The unit's position in the chunk.
        public var index: Int

        /// Creates a reference.
        public init(chunk: Int, index: Int) {
            self.chunk = chunk
            self.index = index
        }

        /// Chunk order, then position.
        public static func < (a: UnitRef, b: UnitRef) -> Bool {
            (a.chunk, a.index) < (b.chunk, b.index)
        }
    }

    /// What happened.
    public enum Event: Sendable {
        /// The reader handed over a batch of events (at most `chunkSize` units).
        case batchRead(UnitBatch)
        /// The input is exhausted.
        case inputEnded
        /// What is known of a chunk's units: their rows in the ledger (a resumed job) and the
        /// keys already delivered to the same target, by another job (the ledger) or found on
        /// the target itself (`ExistingKeyIndex`: another machine, the official migration script).
        case settled(chunk: Int, known: [String: LedgerUnit], deliveredElsewhere: Set<String>)
        /// The chunk's units are recorded `in_flight`.
        case recorded(chunk: Int)
        /// The target prepared the chunk's adds (work that needs no transaction).
        case prepared(chunk: Int)
        /// A call, lookup or poll of one unit answered.
        case unitAnswered(UnitRef, UnitLifecycle.Event)
        /// Polling a queued add ran out of this run's patience: the unit stays `submitted`.
        case pollGaveUp(UnitRef)
        /// A unit's call was cut short by an interrupt: it stays `in_flight`.
        case unitInterrupted(UnitRef)
        /// A chunk of adds was applied at once; one answer per unit sent, in order.
        case chunkApplied(chunk: Int, [(UnitRef, UnitLifecycle.Event)])
        /// A chunk of batch update or delete items was delivered.
        case batchApplied(chunk: Int, [BatchOutcome])
        /// A chunk's answers are in the ledger.
        case answersRecorded(chunk: Int)
        /// Stop the job (the key was refused): nothing new is sent.
        case stop(reason: String)
        /// Ctrl-C or SIGTERM: nothing new is sent, what is in flight is recorded.
        case interrupt
    }

    /// What the driver must do.
    public enum Action: Sendable {
        /// Pull the next batch from the reader.
        case read
        /// Ask the ledger (and, for adds, the target) what it knows of these units.
        case settle(chunk: Int, units: [ImportUnit])
        /// Write the chunk's units (`in_flight`, or already final) and record-level rejects in
        /// one transaction; `done` when the chunk has nothing to send.
        case recordInFlight(chunk: Int, units: [LedgerUnit], rejects: [LedgerReject], done: Bool)
        /// Let the target prepare these adds ahead of applying them.
        case prepare(chunk: Int, [AddRequest])
        /// Send one add call.
        case send(UnitRef, AddRequest)
        /// Look a unit up on the target by its import key.
        case lookUp(UnitRef, importKey: String, scope: Scope?)
        /// Poll a queued add until it finishes or this run's patience ends.
        case poll(UnitRef, eventID: String)
        /// Apply a chunk's add calls at once, in order.
        case apply(chunk: Int, [(UnitRef, AddRequest)])
        /// Deliver a chunk of batch update or delete items (halving a refused batch).
        case applyBatch(chunk: Int, [BatchItem])
        /// Record units' answers (and their rejects) in one transaction; `done` closes the chunk.
        case recordAnswers(chunk: Int, units: [LedgerUnit], rejects: [LedgerReject], done: Bool)
        /// The run is over.
        case finish(JobState)
    }

    /// One batch update or delete item handed to the driver.
    public struct BatchItem: Sendable {
        /// The unit.
        public var ref: UnitRef
        /// The item.
        public var item: BatchUpdateItem
    }

    /// What became of one batch item.
    public struct BatchOutcome: Sendable, Hashable {
        /// The unit.
        public var ref: UnitRef
        /// `confirmed`, `rejected` or `pending` (a failure a later run retries).
        public var state: UnitState
        /// Why it failed, in words.
        public var error: String?
        /// The reject reason and HTTP status of a refused item.
        public var rejection: Rejection?
        /// The message when the key was refused.
        public var stop: String?
        /// `true` when an interrupt cut it short (it stays `in_flight`).
        public var interrupted: Bool

        /// Creates an outcome.
        public init(
            ref: UnitRef, state: UnitState, error: String? = nil, rejection: Rejection? = nil, stop: String? = nil,
            interrupted: Bool = false
        ) {
            self.ref = ref
            self.state = state
            self.error = error
            self.rejection = rejection
            self.stop = stop
            self.interrupted = interrupted
        }
    }

    /// A reject reason and the HTTP status that came with it.
    public struct Rejection: Sendable, Hashable {
        /// A stable reason code.
        public var reason: String
        /// The HTTP status.
        public var status: Int?

        /// Creates a rejection.
        public init(reason: String, status: Int?) {
            self.reason = reason
            self.status = status
        }
    }

    /// The configuration.
    public let configuration: Configuration
    /// The counters of the run, as progress shows them.
    public internal(set) var counters = ImportProgress()
    /// Why the run stopped early, when it did.
    public internal(set) var stopReason: String?
    /// `true` once an interrupt arrived.
    public internal(set) var interrupted = false
    /// `true` once `finish` was returned.
    public internal(set) var finished = false
    /// The budget for sending units again in this run after transient failures.
    public internal(set) var retryBudget = RetryBudget()

    var nextSeq = 0
    var reading = false
    var inputDone = false
    /// Chunks read and not yet closed, by sequence number.
    var chunks: [Int: Chunk] = [:]
    /// Open chunks in reading order.
    var order: [Int] = []
    /// Keys of units in open chunks, so an input that repeats a record sends it once.
    var openKeys: Set<String> = []
    /// Units in progress (holding a window slot) in the concurrent mode.
    var unitsInProgress = 0
    /// The chunk being applied (whole-chunk and batch modes), if any.
    var applying: Int?
    /// Ledger reads and writes not yet answered.
    var ledgerOps = 0
    /// Calls of any kind not yet answered (sends, lookups, polls, applies, prepares).
    var calls = 0

    /// Creates a machine.
    public init(configuration: Configuration) { self.configuration = configuration }

    /// `true` while nothing new may be sent.
    public var isStopping: Bool { interrupted || stopReason != nil }

    /// The first actions of a run.
    public mutating func start() -> [Action] { pump() }
}
