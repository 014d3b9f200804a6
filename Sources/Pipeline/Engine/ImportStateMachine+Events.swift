import MemoryAPI
import Reading

extension ImportStateMachine {
    /// Feeds what happened and returns what to do next, in order.
    public mutating func handle(_ event: Event) -> [Action] {
        guard !finished else { return [] }
        var actions: [Action] = []
        switch event {
        case .batchRead(let batch):
            reading = false
            batchRead(batch, &actions)
        case .inputEnded:
            reading = false
            inputDone = true
        case .settled(let seq, let known, let elsewhere):
            ledgerOps -= 1
            settled(seq, known: known, elsewhere: elsewhere, &actions)
        case .recorded(let seq):
            ledgerOps -= 1
            if let chunk = chunks[seq] {
                if chunk.items.isEmpty {
                    close(seq)
                } else {
                    chunks[seq]?.phase = .delivering
                }
            }
        case .prepared(let seq):
            calls -= 1
            chunks[seq]?.prepared = true
        case .unitAnswered(let ref, let answer):
            calls -= 1
            guard var item = item(ref) else { break }
            var next = item.lifecycle.handle(answer)
            switch (answer, next) {
            case (.failed(.transient), .send), (.failed(.transient), .lookUp):
                // Another try in this run, while the job's budget lasts.
                if !retryBudget.spend() { next = item.lifecycle.deferNow() }
            case (.applied, _), (.jobFinished(true, _, _), _):
                retryBudget.earn()
            default:
                break
            }
            set(ref, item)
            advance(ref, next, &actions)
        case .pollGaveUp(let ref):
            calls -= 1
            complete(ref, stop: nil)
        case .unitInterrupted(let ref):
            calls -= 1
            interrupted = true
            abandon(ref)
        case .chunkApplied(let seq, let answers):
            calls -= 1
            applying = nil
            // Units of the apply with no answer were never sent (an interrupt came first).
            let answered = Set(answers.map(\.0))
            for (i, item) in (chunks[seq]?.items ?? []).enumerated() where item.step == .running {
                let ref = UnitRef(chunk: seq, index: i)
                if !answered.contains(ref) {
                    interrupted = true
                    abandon(ref)
                }
            }
            for (ref, answer) in answers {
                guard var item = item(ref) else { continue }
                let next = item.lifecycle.handle(answer)
                set(ref, item)
                advance(ref, next, &actions)
            }
        case .batchApplied(let seq, let outcomes):
            calls -= 1
            applying = nil
            for outcome in outcomes { batchItemDone(seq, outcome) }
        case .answersRecorded(let seq):
            ledgerOps -= 1
            if chunks[seq]?.flushing == true {
                chunks[seq]?.flushing = false
            } else {
                close(seq)
            }
        case .stop(let reason):
            if stopReason == nil { stopReason = reason }
        case .interrupt:
            interrupted = true
        }
        actions += pump()
        return actions
    }

    // MARK: - Reading and settling

    mutating func batchRead(_ batch: UnitBatch, _ actions: inout [Action]) {
        counters.records = batch.records
        counters.bytesRead = batch.bytesRead
        counters.sourceBytesRead = batch.sourceBytesRead
        // Read after a stop: not recorded, so the next run reads it again.
        guard !isStopping else { return }
        var units: [ImportUnit] = []
        var rejects: [LedgerReject] = []
        var seen: Set<String> = []
        for event in batch.events {
            switch event {
            case .unit(let unit):
                if openKeys.contains(unit.importKey) || !seen.insert(unit.importKey).inserted {
                    counters.skippedMessages["duplicate_record", default: 0] += unit.messageCount
                    continue
                }
                units.append(unit)
            case .reject(let r):
                rejects.append(Self.ledgerReject(r))
                counters.reject(r.reason.rawValue)
            case .sourceFailed(let error):
                let r = ImportReject(error, at: error.locator ?? RecordLocator(file: "?"))
                rejects.append(Self.ledgerReject(r))
                counters.reject(r.reason.rawValue)
            case .skipped(let reason, let count):
                counters.skippedMessages[reason, default: 0] += count
            case .detected:
                break
            }
        }
        if units.isEmpty && rejects.isEmpty { return }
        let seq = nextSeq
        nextSeq += 1
        counters.units += units.count
        counters.messages += units.reduce(0) { $0 + $1.messageCount }
        order.append(seq)
        ledgerOps += 1
        if units.isEmpty {
            chunks[seq] = Chunk(seq: seq, phase: .recording, units: [], recordRejects: rejects)
            actions.append(.recordInFlight(chunk: seq, units: [], rejects: rejects, done: true))
            return
        }
        for unit in units { openKeys.insert(unit.importKey) }
        chunks[seq] = Chunk(seq: seq, units: units, recordRejects: rejects)
        actions.append(.settle(chunk: seq, units: units))
    }

    mutating func settled(
        _ seq: Int, known: [String: LedgerUnit], elsewhere: Set<String>, _ actions: inout [Action]
    ) {
        guard var chunk = chunks[seq] else { return }
        if isStopping {
            // Nothing of it was recorded: the next run reads it again.
            chunks[seq] = nil
            order.removeAll { $0 == seq }
            for unit in chunk.units { openKeys.remove(unit.importKey) }
            return
        }
        var rows: [LedgerUnit] = []
        var items: [Item] = []
        let kind = configuration.operation.rawValue
        let policy = UnitLifecycle.Policy(maxAttempts: configuration.maxAttempts)
        for unit in chunk.units {
            let previous = known[unit.importKey]
            if let previous, previous.state.isFinal {
                if previous.state != .rejected { counters.skippedExisting += 1 }
                continue
            }
            let fresh = Self.row(for: unit, chunk: seq, kind: kind)
            var row = fresh
            if elsewhere.contains(unit.importKey) {
                row.state = .skippedExisting
                rows.append(row)
                counters.skippedExisting += 1
                continue
            }
            row.attempts = previous?.attempts ?? 0
            row.state = previous?.state == .submitted ? .submitted : .inFlight
            row.eventID = previous?.eventID
            rows.append(row)
            items.append(Item(unit: unit, previous: previous, row: fresh, lifecycle: UnitLifecycle(policy: policy)))
        }
        let delivering = Set(items.map(\.unit.importKey))
        for unit in chunk.units where !delivering.contains(unit.importKey) { openKeys.remove(unit.importKey) }
        chunk.units = []
        chunk.items = items
        chunk.remaining = items.count
        chunk.phase = .recording
        chunks[seq] = chunk
        ledgerOps += 1
        actions.append(.recordInFlight(chunk: seq, units: rows, rejects: chunk.recordRejects, done: items.isEmpty))
    }

    // MARK: - Units

    func item(_ ref: UnitRef) -> Item? {
        guard let chunk = chunks[ref.chunk], chunk.items.indices.contains(ref.index) else { return nil }
        return chunk.items[ref.index]
    }

    mutating func set(_ ref: UnitRef, _ item: Item) {
        chunks[ref.chunk]?.items[ref.index] = item
    }

    /// Carries out a unit's next lifecycle action: a call to dispatch, or the end of the unit.
    mutating func advance(_ ref: UnitRef, _ action: UnitLifecycle.Action, _ actions: inout [Action]) {
        guard var item = item(ref) else { return }
        switch action {
        case .finish, .deferToLaterRun:
            complete(ref, stop: nil)
            return
        case .stopJob(let message):
            complete(ref, stop: message)
            return
        case .send, .lookUp, .poll:
            break
        }
        if isStopping {
            // Nothing new goes out: the unit keeps what the ledger holds for it (in_flight or
            // submitted), so the next run looks it up or polls it first.
            abandon(ref)
            return
        }
        let wholeChunk = configuration.appliesChunks && !(chunks[ref.chunk]?.applied ?? true)
        switch action {
        case .send:
            guard case .add(let request) = item.unit.payload else {
                let next = item.lifecycle.handle(
                    .failed(.refused(reason: "wrong_operation", status: nil, message: "not an add unit")))
                set(ref, item)
                advance(ref, next, &actions)
                return
            }
            if wholeChunk {
                item.step = .ready(.send)
                set(ref, item)
                return
            }
            actions.append(.send(ref, request))
        case .lookUp:
            actions.append(.lookUp(ref, importKey: item.unit.importKey, scope: item.unit.scope))
        case .poll(let eventID):
            actions.append(.poll(ref, eventID: eventID))
        default:
            return
        }
        calls += 1
        item.step = .running
        set(ref, item)
    }

    /// Ends a unit with the state its lifecycle reached; its row waits for the chunk's record.
    mutating func complete(_ ref: UnitRef, stop: String?) {
        // Moved out while it changes, so its items stay uniquely owned: marking one unit done
        // must not copy the chunk's other units.
        guard var chunk = chunks.removeValue(forKey: ref.chunk) else { return }
        defer { chunks[ref.chunk] = chunk }
        guard chunk.items.indices.contains(ref.index) else { return }
        let item = chunk.items[ref.index]
        guard item.step != .done else { return }
        chunk.items[ref.index].step = .done
        let row = Self.row(of: item)
        chunk.finished.append(row)
        switch row.state {
        case .confirmed: counters.confirmed += 1
        case .skippedExisting: counters.skippedExisting += 1
        case .rejected:
            let r = item.lifecycle.rejection.map { Rejection(reason: $0.reason, status: $0.status) }
            counters.reject(r?.reason ?? "rejected")
            if let r {
                chunk.rejects.append(
                    Self.unitReject(item, row: row, rejection: r, message: item.lifecycle.lastError ?? "refused"))
            }
        default: counters.deferred += 1
        }
        chunk.remaining -= 1
        release(item)
        if let stop, stopReason == nil { stopReason = stop }
    }

    /// Ends a unit without recording anything new: the ledger keeps its `in_flight` (or
    /// `submitted`) row, so the next run looks it up (or polls) before sending again.
    mutating func abandon(_ ref: UnitRef) {
        guard var chunk = chunks.removeValue(forKey: ref.chunk) else { return }
        defer { chunks[ref.chunk] = chunk }
        guard chunk.items.indices.contains(ref.index) else { return }
        let item = chunk.items[ref.index]
        guard item.step != .done else { return }
        chunk.items[ref.index].step = .done
        chunk.remaining -= 1
        release(item)
    }

    mutating func release(_ item: Item) {
        counters.inFlight -= 1
        if !configuration.appliesChunks && configuration.operation == .add { unitsInProgress -= 1 }
    }

    mutating func batchItemDone(_ seq: Int, _ outcome: BatchOutcome) {
        let ref = outcome.ref
        if outcome.interrupted {
            guard let item = item(ref), item.step != .done else { return }
            interrupted = true
            abandon(ref)
            return
        }
        guard var chunk = chunks.removeValue(forKey: seq) else { return }
        defer { chunks[seq] = chunk }
        guard chunk.items.indices.contains(ref.index) else { return }
        let item = chunk.items[ref.index]
        guard item.step != .done else { return }
        chunk.items[ref.index].step = .done
        var row = item.row
        row.state = outcome.state
        row.attempts = (item.previous?.attempts ?? 0) + 1
        row.lastError = outcome.error
        if case .batchUpdate(let u) = item.unit.payload, outcome.state == .confirmed { row.memoryIDs = [u.memoryID] }
        chunk.finished.append(row)
        switch outcome.state {
        case .confirmed: counters.confirmed += 1
        case .rejected:
            let r = outcome.rejection ?? Rejection(reason: "rejected", status: nil)
            counters.reject(r.reason)
            chunk.rejects.append(Self.unitReject(item, row: row, rejection: r, message: outcome.error ?? "refused"))
        default: counters.deferred += 1
        }
        chunk.remaining -= 1
        counters.inFlight -= 1
        if let stop = outcome.stop, stopReason == nil { stopReason = stop }
    }

    /// Forgets a chunk whose answers are recorded.
    mutating func close(_ seq: Int) {
        guard let chunk = chunks.removeValue(forKey: seq) else { return }
        order.removeAll { $0 == seq }
        for item in chunk.items { openKeys.remove(item.unit.importKey) }
        for unit in chunk.units { openKeys.remove(unit.importKey) }
    }
}
