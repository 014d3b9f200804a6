import Foundation
import MemoryAPI
import Reading

/// The thin driver of one run of `ImportEngine`: it executes `ImportStateMachine`'s actions
/// against the ledger and the target, each as a child task, and feeds what they return back to
/// the machine. The input is produced beside it (off the cooperative pool for files) behind a
/// bounded `UnitBatches`.
struct ImportRun: Sendable {
    let engine: ImportEngine
    let jobID: String
    let input: ImportInput
    let emit: @Sendable (ImportProgress) -> Void
    let detected: @Sendable (SourceReport) -> Void

    init(
        engine: ImportEngine, jobID: String, input: ImportInput,
        progress: @escaping @Sendable (ImportProgress) -> Void, detected: @escaping @Sendable (SourceReport) -> Void
    ) {
        self.engine = engine
        self.jobID = jobID
        self.input = input
        self.emit = progress
        self.detected = detected
    }

    var ledger: Ledger { engine.ledger }
    var target: any MemoryTarget { engine.target }
    var options: ImportEngine.Options { engine.options }

    func execute() async throws -> ImportSummary {
        let clock = ContinuousClock()
        let started = clock.now
        let retriesBefore = await target.retryCount()
        let rateLimitedBefore = await target.rateLimitedCount()
        let job = try await ledger.job(jobID)
        let wasFinished = job?.state == .finished && (job?.runs ?? 0) > 1
        // One chunk read ahead: the machine itself holds two open, so a third is enough to keep
        // the target fed, and each more is a chunk of units alive for nothing.
        let channel = UnitBatches(capacity: 1)
        let producer = input
        let chunkSize = options.chunkSize
        async let produced: Void = producer.produce(channel, chunkSize)
        let outcome: Result<ImportStateMachine, any Error>
        do {
            // The machine and its actions run where the target's calls complete (an HTTP
            // target's event loop), so an answer reaches the machine without a thread hop.
            outcome = .success(
                try await withTaskExecutorPreference(target.taskExecutor) {
                    try await drive(channel, started: started)
                })
        } catch {
            outcome = .failure(error)
        }
        channel.cancel()
        await produced
        var machine = try outcome.get()
        var counters = machine.counters
        counters.bytesTotal = input.bytesTotal
        counters.retries = await target.retryCount() - retriesBefore
        counters.rateLimited = await target.rateLimitedCount() - rateLimitedBefore
        counters.elapsed = Self.seconds(clock.now - started)
        counters.inFlight = 0
        let counts = try await ledger.counts(jobID: jobID)
        let unresolved = (counts[.pending] ?? 0) + (counts[.inFlight] ?? 0) + (counts[.submitted] ?? 0)
        let producerFailure = machine.interrupted ? nil : channel.producerError
        let state: JobState
        if machine.interrupted {
            state = .interrupted
        } else if producerFailure != nil {
            state = .incomplete
        } else if machine.stopReason != nil {
            state = .stopped
        } else {
            state = unresolved > 0 ? .incomplete : .finished
        }
        try await ledger.endRun(
            jobID: jobID, state: state, records: counters.records, retries: counters.retries,
            elapsed: counters.elapsed)
        try await ledger.settleRejects(jobID: jobID)
        let rejectsPath = try await RejectsFile.write(ledger: ledger, jobID: jobID)
        machine.counters = counters
        emit(counters)
        if let producerFailure { throw producerFailure }
        return ImportSummary(
            jobID: jobID, target: target.description, state: state, progress: counters,
            ledgerCounts: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
            stopReason: machine.stopReason, rejectsFile: rejectsPath,
            nothingNew: wasFinished && counters.confirmed == 0 && counters.deferred == 0)
    }

    /// Runs the machine to its `finish`.
    func drive(_ channel: UnitBatches, started: ContinuousClock.Instant) async throws -> ImportStateMachine {
        var machine = ImportStateMachine(
            configuration: .init(
                chunkSize: options.chunkSize, concurrency: options.concurrency, operation: options.operation,
                appliesChunks: target.appliesChunks, maxAttempts: options.maxAttempts))
        let clock = ContinuousClock()
        var lastEmit = clock.now
        var told = false
        return try await withThrowingTaskGroup(of: ImportStateMachine.Event.self) { group in
            var actions = machine.start()
            var outstanding = 0
            while true {
                for action in actions {
                    if case .finish = action {
                        group.cancelAll()
                        return machine
                    }
                    outstanding += 1
                    group.addTask { try await self.execute(action, channel: channel) }
                }
                if Task.isCancelled && !told {
                    told = true
                    actions = machine.handle(.interrupt)
                    continue
                }
                guard outstanding > 0 else {
                    throw PipelineError(.internal, "the import state machine stalled with nothing in progress")
                }
                guard let event = try await group.next() else {
                    throw PipelineError(.internal, "the import state machine lost its work")
                }
                outstanding -= 1
                actions = machine.handle(event)
                let now = clock.now
                if now - lastEmit >= .milliseconds(200) {
                    lastEmit = now
                    var counters = machine.counters
                    counters.elapsed = Self.seconds(now - started)
                    counters.bytesTotal = input.bytesTotal
                    emit(counters)
                }
            }
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
