import Foundation
import MemoryAPI
import MemoryStore

/// Carries out what `UnitLifecycle` decides: the calls, lookups and polls against the target.
struct UnitDriver: Sendable {
    let target: any MemoryTarget
    let options: ImportEngine.Options

    func machine() -> UnitLifecycle { UnitLifecycle(policy: .init(maxAttempts: options.maxAttempts)) }

    /// Drives one unit from its ledger state to a final state, a deferral or a stop.
    func drive(_ item: WorkItem) async -> Driven {
        var m = machine()
        let first = m.handle(.begin(previous: item.previous?.state, eventID: item.previous?.eventID))
        return await continueDriving(item, &m, first)
    }

    func continueDriving(_ item: WorkItem, _ m: inout UnitLifecycle, _ first: UnitLifecycle.Action) async -> Driven {
        var action = first
        while true {
            if Task.isCancelled { return interrupted(item) }
            switch action {
            case .finish, .deferToLaterRun:
                return driven(item, m)
            case .stopJob(let message):
                var d = driven(item, m)
                d.stopJob = message
                return d
            case .send:
                guard case .add(let request) = item.unit.payload else {
                    action = m.handle(
                        .failed(.refused(reason: "wrong_operation", status: nil, message: "not an add unit")))
                    continue
                }
                do {
                    action = m.handle(Self.event(try await target.add(request)))
                } catch {
                    if Task.isCancelled { return interrupted(item) }
                    action = m.handle(.failed(Self.classify(error)))
                }
            case .lookUp:
                do {
                    let found = try await target.memories(importKey: item.unit.importKey, scope: item.unit.scope)
                    action = m.handle(.lookedUp(memoryIDs: found.map(\.id)))
                } catch {
                    if Task.isCancelled { return interrupted(item) }
                    action = m.handle(.failed(Self.classify(error)))
                }
            case .poll(let eventID):
                guard let next = await poll(eventID, &m) else { return driven(item, m) }
                action = next
            }
        }
    }

    /// Polls a queued add until it finishes; nil when the run's patience ends first (the unit
    /// stays `submitted` with its job id, and the next run polls again).
    func poll(_ eventID: String, _ m: inout UnitLifecycle) async -> UnitLifecycle.Action? {
        let clock = ContinuousClock()
        let deadline = clock.now + options.pollTimeout
        while clock.now < deadline {
            if Task.isCancelled { return nil }
            do {
                let job = try await target.job(eventID)
                if job.status.isFinal {
                    let ids = (job.results ?? []).compactMap { $0.event == .noop ? nil : $0.id }
                    return m.handle(.jobFinished(succeeded: job.status == .succeeded, memoryIDs: ids, error: job.error))
                }
            } catch let error as MemoryAPIError where error.code == .notFound {
                // The job is unknown: find out by key whether it was applied.
                return m.handle(.failed(.ambiguous(message: "job \(eventID) not found")))
            } catch {
                if Task.isCancelled { return nil }
                if case .authentication(let message) = Self.classify(error) { return .stopJob(message: message) }
            }
            try? await Task.sleep(for: options.pollInterval)
        }
        return nil
    }

    /// A whole chunk of adds for a target that applies them in one transaction, with the
    /// chunk's add calls as the target prepared them (`prepared`) when it did.
    func driveChunk(_ items: [WorkItem], prepared: PreparedAdds? = nil) async -> [Driven] {
        var machines = items.map { _ in machine() }
        var actions = items.indices.map { i in
            machines[i].handle(.begin(previous: items[i].previous?.state, eventID: items[i].previous?.eventID))
        }
        for i in items.indices where actions[i] == .lookUp {
            do {
                let found = try await target.memories(importKey: items[i].unit.importKey, scope: items[i].unit.scope)
                actions[i] = machines[i].handle(.lookedUp(memoryIDs: found.map(\.id)))
            } catch {
                actions[i] = machines[i].handle(.failed(Self.classify(error)))
            }
        }
        let sending = items.indices.filter { i in
            if case .add = items[i].unit.payload { return actions[i] == .send }
            return false
        }
        if !sending.isEmpty {
            if Task.isCancelled { return items.map(interrupted) }
            let results: [Result<AddOutcome, any Error>]
            if let prepared, let chunkTarget = target as? any ChunkApplyingTarget {
                // Positions among the chunk's add calls, the order `prepared` holds them in.
                var positions: [Int?] = []
                var next = 0
                for item in items {
                    if item.unit.payload.addRequest == nil {
                        positions.append(nil)
                    } else {
                        positions.append(next)
                        next += 1
                    }
                }
                results = await chunkTarget.addMany(prepared.selecting(sending.compactMap { positions[$0] }))
            } else {
                results = await target.addMany(sending.compactMap { items[$0].unit.payload.addRequest })
            }
            for (k, i) in sending.enumerated() {
                switch results[k] {
                case .success(let outcome): actions[i] = machines[i].handle(Self.event(outcome))
                case .failure(let error): actions[i] = machines[i].handle(.failed(Self.classify(error)))
                }
            }
        }
        var out: [Driven] = []
        for i in items.indices {
            out.append(await continueDriving(items[i], &machines[i], actions[i]))
        }
        return out
    }

    /// A chunk of batch update or delete items: one call, halves on a refusal (DESIGN invariant 4).
    func driveBatch(_ items: [WorkItem]) async -> [Driven] {
        var bisector = BatchBisector(count: items.count)
        var states = [UnitState](repeating: .inFlight, count: items.count)
        var errors = [String?](repeating: nil, count: items.count)
        var reasons = [(String, Int?)?](repeating: nil, count: items.count)
        var stop: String?
        var cancelled = false
        while let range = bisector.next() {
            if Task.isCancelled {
                cancelled = true
                break
            }
            let batch = items[range].compactMap { item -> BatchUpdateItem? in
                if case .batchUpdate(let u) = item.unit.payload { return u }
                return nil
            }
            do {
                if options.operation == .delete {
                    try await target.batchDelete(batch.map { BatchDeleteItem(memoryID: $0.memoryID) })
                } else {
                    try await target.batchUpdate(batch)
                }
                bisector.report(range, accepted: true)
                for i in range { states[i] = .confirmed }
            } catch {
                switch Self.classify(error) {
                case .refused(let reason, let status, let message):
                    if range.count == 1 {
                        states[range.lowerBound] = .rejected
                        errors[range.lowerBound] = message
                        reasons[range.lowerBound] = (reason, status)
                    }
                    bisector.report(range, accepted: false)
                case .authentication(let message):
                    stop = message
                case .ambiguous(let message), .transient(let message):
                    for i in range {
                        states[i] = .pending
                        errors[i] = message
                    }
                }
            }
            if stop != nil { break }
        }
        return items.indices.map { i in
            if cancelled && states[i] == .inFlight { return interrupted(items[i]) }
            var row = items[i].row
            row.state = states[i]
            row.attempts = (items[i].previous?.attempts ?? 0) + 1
            row.lastError = errors[i]
            if case .batchUpdate(let u) = items[i].unit.payload, states[i] == .confirmed {
                row.memoryIDs = [u.memoryID]
            }
            let reject = reasons[i].map { reason in
                rejectRecord(items[i], row: row, reason: reason.0, status: reason.1, message: errors[i] ?? "refused")
            }
            return Driven(chunk: items[i].chunk, row: row, reject: reject, stopJob: stop, interrupted: false)
        }
    }

    // MARK: - Helpers

    func driven(_ item: WorkItem, _ m: UnitLifecycle) -> Driven {
        var row = item.row
        row.state = m.state
        row.attempts = (item.previous?.attempts ?? 0) + m.attempts
        row.lastError = m.lastError
        row.eventID = m.state == .submitted ? m.eventID : nil
        row.memoryIDs = m.memoryIDs
        let reject = m.rejection.map { r in
            rejectRecord(item, row: row, reason: r.reason, status: r.status, message: m.lastError ?? "refused")
        }
        return Driven(chunk: item.chunk, row: row, reject: reject, stopJob: nil, interrupted: false)
    }

    func interrupted(_ item: WorkItem) -> Driven {
        var row = item.row
        row.state = .inFlight
        return Driven(chunk: item.chunk, row: row, reject: nil, stopJob: nil, interrupted: true)
    }

    func rejectRecord(_ item: WorkItem, row: LedgerUnit, reason: String, status: Int?, message: String) -> LedgerReject
    {
        let record: String?
        switch item.unit.payload {
        case .add(let r): record = try? JSONValue(encoding: r).jsonString()
        case .batchUpdate(let u): record = try? JSONValue(encoding: u).jsonString()
        }
        return LedgerReject(
            key: item.unit.importKey, importKey: item.unit.importKey, reason: reason, status: status,
            message: message, locator: row.locator, record: record)
    }

    static func event(_ outcome: AddOutcome) -> UnitLifecycle.Event {
        switch outcome {
        case .applied(let ids): return .applied(memoryIDs: ids)
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
