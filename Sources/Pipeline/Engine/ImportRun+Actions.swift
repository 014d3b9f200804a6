import CMalloc
import Foundation
import MemoryAPI
import Reading

extension ImportRun {
    /// Executes one action; what it returns is the machine's next event.
    func execute(_ action: ImportStateMachine.Action, channel: UnitBatches) async throws -> ImportStateMachine.Event {
        switch action {
        case .read:
            guard let batch = await channel.receive() else {
                if Task.isCancelled { return .interrupt }
                if let failure = channel.producerError {
                    return .stop(reason: "the source failed: \(MemoryAPIError.describe(failure))")
                }
                return .inputEnded
            }
            for case .detected(let report) in batch.events { detected(report) }
            return .batchRead(batch)
        case .settle(let seq, let units):
            let known = try await ledger.units(jobID: jobID, keys: units.map(\.importKey))
            let undecided = units.filter { known[$0.importKey]?.state.isFinal != true }
            var elsewhere = try await ledger.deliveredElsewhere(
                target: target.description, excludingJob: jobID, keys: undecided.map(\.importKey))
            // What the target itself holds (another machine's run, the official migration script).
            if let index = engine.existingKeys {
                elsewhere.formUnion(
                    try await index.alreadyThere(undecided.filter { !elsewhere.contains($0.importKey) }))
            }
            return .settled(chunk: seq, known: known, deliveredElsewhere: elsewhere)
        case .recordInFlight(let seq, let units, let rejects, let done):
            try await ledger.record(jobID: jobID, units: units, rejects: rejects, chunk: (seq, done))
            return .recorded(chunk: seq)
        case .recordAnswers(let seq, let units, let rejects, let done):
            try await ledger.record(jobID: jobID, units: units, rejects: rejects, chunk: (seq, done))
            // The chunk's units were allocated by the reader's thread, in its own malloc arena:
            // hand that memory back now, or the arena holds the high-water mark of every chunk.
            if done { _ = memport_release_free_heap() }
            return .answersRecorded(chunk: seq)
        case .prepare(let seq, let requests):
            await target.prepare(requests)
            return .prepared(chunk: seq)
        case .send(let ref, let request):
            do {
                return .unitAnswered(ref, Self.event(try await target.add(request)))
            } catch {
                if Task.isCancelled { return .unitInterrupted(ref) }
                return .unitAnswered(ref, .failed(Self.classify(error)))
            }
        case .lookUp(let ref, let key, let scope):
            do {
                let found = try await target.memories(importKey: key, scope: scope)
                return .unitAnswered(ref, .lookedUp(memoryIDs: found.map(\.id)))
            } catch {
                if Task.isCancelled { return .unitInterrupted(ref) }
                return .unitAnswered(ref, .failed(Self.classify(error)))
            }
        case .poll(let ref, let eventID):
            return await poll(ref, eventID)
        case .apply(let seq, let sends):
            if Task.isCancelled { return .chunkApplied(chunk: seq, []) }
            let results = await target.addMany(sends.map(\.1))
            var answers: [(ImportStateMachine.UnitRef, UnitLifecycle.Event)] = []
            for (k, (ref, _)) in sends.enumerated() {
                switch results[k] {
                case .success(let outcome): answers.append((ref, Self.event(outcome)))
                case .failure(let error): answers.append((ref, .failed(Self.classify(error))))
                }
            }
            return .chunkApplied(chunk: seq, answers)
        case .applyBatch(let seq, let items):
            return .batchApplied(chunk: seq, await deliverBatch(items))
        case .finish:
            throw PipelineError(.internal, "finish is not an I/O action")
        }
    }

    /// Polls a queued add until it finishes, or gives up when the run's patience ends (the
    /// unit stays `submitted` with its job id, and the next run polls again).
    func poll(_ ref: ImportStateMachine.UnitRef, _ eventID: String) async -> ImportStateMachine.Event {
        let clock = ContinuousClock()
        let deadline = clock.now + options.pollTimeout
        while clock.now < deadline {
            if Task.isCancelled { return .unitInterrupted(ref) }
            do {
                let job = try await target.job(eventID)
                if job.status.isFinal {
                    let results = job.results ?? []
                    if job.status == .succeeded && results.onlyMatchedExisting {
                        return .unitAnswered(ref, .matched(memoryIDs: results.compactMap(\.id)))
                    }
                    let ids = results.compactMap { $0.event == .noop ? nil : $0.id }
                    return .unitAnswered(
                        ref, .jobFinished(succeeded: job.status == .succeeded, memoryIDs: ids, error: job.error))
                }
            } catch let error as MemoryAPIError where error.code == .notFound {
                // The job is unknown: find out by key whether it was applied.
                return .unitAnswered(ref, .failed(.ambiguous(message: "job \(eventID) not found")))
            } catch {
                if Task.isCancelled { return .unitInterrupted(ref) }
                if case .authentication = Self.classify(error) {
                    return .unitAnswered(ref, .failed(Self.classify(error)))
                }
            }
            try? await Task.sleep(for: options.pollInterval)
        }
        return .pollGaveUp(ref)
    }

    /// One chunk of batch update or delete items: one call, halves on a refusal (DESIGN invariant 4).
    func deliverBatch(_ items: [ImportStateMachine.BatchItem]) async -> [ImportStateMachine.BatchOutcome] {
        var bisector = BatchBisector(count: items.count)
        var outcomes = items.map { ImportStateMachine.BatchOutcome(ref: $0.ref, state: .inFlight) }
        var stop: String?
        while let range = bisector.next() {
            if Task.isCancelled { break }
            let batch = items[range].map(\.item)
            do {
                if options.operation == .delete {
                    try await target.batchDelete(batch.map { BatchDeleteItem(memoryID: $0.memoryID) })
                } else {
                    try await target.batchUpdate(batch)
                }
                bisector.report(range, accepted: true)
                for i in range { outcomes[i].state = .confirmed }
            } catch {
                switch Self.classify(error) {
                case .refused(let reason, let status, let message):
                    if range.count == 1 {
                        outcomes[range.lowerBound].state = .rejected
                        outcomes[range.lowerBound].error = message
                        outcomes[range.lowerBound].rejection = .init(reason: reason, status: status)
                    }
                    bisector.report(range, accepted: false)
                case .authentication(let message):
                    stop = message
                case .ambiguous(let message), .transient(let message):
                    for i in range {
                        outcomes[i].state = .pending
                        outcomes[i].error = message
                    }
                }
            }
            if stop != nil { break }
        }
        for i in outcomes.indices where outcomes[i].state == .inFlight {
            // Not reached: an interrupt, or a stop, before its slice went out.
            if stop != nil {
                outcomes[i].state = .pending
            } else {
                outcomes[i].interrupted = true
            }
        }
        if let stop, let first = outcomes.indices.first { outcomes[first].stop = stop }
        return outcomes
    }

    static func event(_ outcome: AddOutcome) -> UnitLifecycle.Event {
        switch outcome {
        case .applied(let ids): return .applied(memoryIDs: ids)
        case .alreadyThere(let ids): return .matched(memoryIDs: ids)
        case .queued(let id): return .queued(eventID: id)
        }
    }

    /// Classifies a failure for the lifecycle (DESIGN invariant 4).
    static func classify(_ error: any Error) -> UnitLifecycle.Failure {
        guard let e = error as? MemoryAPIError else { return .transient(message: "\(error)") }
        switch e.code {
        case .validation, .notFound, .quotaExceeded:
            return .refused(reason: e.code.description, status: e.status, message: e.message)
        case .authentication:
            return .authentication(message: e.message)
        case .decoding:
            return .ambiguous(message: e.message)
        default:
            return e.mayHaveBeenApplied ? .ambiguous(message: e.message) : .transient(message: e.message)
        }
    }
}
