import MemoryAPI

extension ImportStateMachine {
    /// Decides the work that can start now: reads ahead, unit calls up to the window, a chunk
    /// to apply, answers to record, and the end of the run.
    mutating func pump() -> [Action] {
        guard !finished else { return [] }
        var actions: [Action] = []
        if !isStopping {
            if !reading && !inputDone && order.count < configuration.openChunks {
                reading = true
                actions.append(.read)
            }
            for seq in order where chunks[seq]?.phase == .delivering {
                deliver(seq, &actions)
            }
        }
        // A chunk whose units are all done is closed: its answers in one transaction. One still
        // delivering records what it has once that is `answersPerRecord` units, so the close at
        // the end of a run writes a few hundred rows, not a thousand, and a crash loses less.
        for seq in order {
            guard let chunk = chunks[seq], chunk.phase == .delivering, !chunk.closing, !chunk.flushing else {
                continue
            }
            if chunk.remaining == 0 && chunk.nextWaiting >= chunk.items.count {
                closeChunk(seq, done: true, &actions)
            } else if chunk.finished.count >= configuration.answersPerRecord {
                flushAnswers(seq, &actions)
            }
        }
        if isStopping {
            // Once nothing is out, every open chunk records what its units reached; the rest
            // stays in_flight for the next run.
            guard calls == 0 && ledgerOps == 0 else { return actions }
            for seq in order {
                guard let chunk = chunks[seq], chunk.phase == .delivering, !chunk.closing else { continue }
                closeChunk(seq, done: false, &actions)
            }
            if ledgerOps == 0 {
                finished = true
                // Units picked up and never sent stay in_flight in the ledger.
                counters.inFlight = 0
                actions.append(.finish(interrupted ? .interrupted : .stopped))
            }
            return actions
        }
        if inputDone && !reading && order.isEmpty && calls == 0 && ledgerOps == 0 {
            finished = true
            actions.append(.finish(.finished))
        }
        return actions
    }

    /// Records a chunk's answers so far and closes it (`done`: all its units are final).
    mutating func closeChunk(_ seq: Int, done: Bool, _ actions: inout [Action]) {
        recordAnswers(seq, done: done, closing: true, &actions)
    }

    /// Records the answers a delivering chunk has so far, leaving it open.
    mutating func flushAnswers(_ seq: Int, _ actions: inout [Action]) {
        recordAnswers(seq, done: false, closing: false, &actions)
    }

    /// Hands a chunk's finished units and rejects to the ledger, marking the write in flight.
    private mutating func recordAnswers(_ seq: Int, done: Bool, closing: Bool, _ actions: inout [Action]) {
        guard var chunk = chunks[seq] else { return }
        if closing { chunk.closing = true } else { chunk.flushing = true }
        let units = chunk.finished
        let rejects = chunk.rejects
        chunk.finished = []
        chunk.rejects = []
        chunks[seq] = chunk
        ledgerOps += 1
        actions.append(.recordAnswers(chunk: seq, units: units, rejects: rejects, done: done))
    }

    /// Starts what a recorded chunk can do now, by mode.
    mutating func deliver(_ seq: Int, _ actions: inout [Action]) {
        switch (configuration.operation, configuration.appliesChunks) {
        case (.add, false): deliverUnits(seq, &actions)
        case (.add, true): deliverWhole(seq, &actions)
        case (.update, _), (.delete, _): deliverBatch(seq, &actions)
        }
    }

    /// Over HTTP: a sliding window of `concurrency` units across chunks, in reading order.
    mutating func deliverUnits(_ seq: Int, _ actions: inout [Action]) {
        while unitsInProgress < configuration.concurrency, !isStopping, let ref = nextWaiting(seq) {
            unitsInProgress += 1
            begin(ref, &actions)
        }
    }

    /// Into a target that applies chunks whole: every unit begins at once (lookups of units a
    /// crash left in flight go out one by one), the chunk is prepared, and when it is the
    /// oldest chunk not yet applied its sends go out as one apply.
    mutating func deliverWhole(_ seq: Int, _ actions: inout [Action]) {
        while let ref = nextWaiting(seq) { begin(ref, &actions) }
        guard var chunk = chunks[seq], !chunk.applied else { return }
        if !chunk.preparing {
            chunk.preparing = true
            let requests = chunk.items.compactMap { item -> AddRequest? in
                guard case .ready(.send) = item.step else { return nil }
                return item.unit.payload.addRequest
            }
            chunks[seq] = chunk
            if requests.isEmpty {
                chunks[seq]?.prepared = true
            } else {
                calls += 1
                actions.append(.prepare(chunk: seq, requests))
            }
            chunk = chunks[seq] ?? chunk
        }
        let earlierPending = earlierChunkUnapplied(seq)
        let lookingUp = chunk.items.contains { $0.step == .running }
        guard applying == nil, chunk.prepared, !earlierPending, !lookingUp, !isStopping else { return }
        var sends: [(UnitRef, AddRequest)] = []
        for (i, item) in chunk.items.enumerated() {
            guard case .ready(.send) = item.step, let request = item.unit.payload.addRequest else { continue }
            sends.append((UnitRef(chunk: seq, index: i), request))
            chunk.items[i].step = .running
        }
        chunk.applied = true
        chunks[seq] = chunk
        guard !sends.isEmpty else { return }
        applying = seq
        calls += 1
        actions.append(.apply(chunk: seq, sends))
    }

    /// Batch update or delete: one chunk at a time, in order, as one batch call (halved on a refusal).
    mutating func deliverBatch(_ seq: Int, _ actions: inout [Action]) {
        guard var chunk = chunks[seq], !chunk.applied, applying == nil, !isStopping else { return }
        let earlierPending = earlierChunkUnapplied(seq)
        guard !earlierPending else { return }
        var items: [BatchItem] = []
        for (i, item) in chunk.items.enumerated() {
            chunk.items[i].step = .running
            counters.inFlight += 1
            if case .batchUpdate(let u) = item.unit.payload {
                items.append(BatchItem(ref: UnitRef(chunk: seq, index: i), item: u))
            } else {
                chunk.items[i].step = .done
                chunk.remaining -= 1
                counters.inFlight -= 1
                counters.reject("wrong_operation")
                let row = Self.row(for: item.unit, chunk: seq, kind: configuration.operation.rawValue)
                var rejected = row
                rejected.state = .rejected
                chunk.finished.append(rejected)
                chunk.rejects.append(
                    Self.unitReject(
                        item, row: rejected, rejection: Rejection(reason: "wrong_operation", status: nil),
                        message: "not a batch item"))
            }
        }
        chunk.nextWaiting = chunk.items.count
        chunk.applied = true
        chunks[seq] = chunk
        guard !items.isEmpty else { return }
        applying = seq
        calls += 1
        actions.append(.applyBatch(chunk: seq, items))
    }

    /// `true` while a chunk read before `seq` has not gone to the target: chunks are applied in order.
    func earlierChunkUnapplied(_ seq: Int) -> Bool {
        order.contains { other in other < seq && chunks[other].map { !$0.applied } ?? false }
    }

    /// The next unit of a chunk not yet picked up.
    mutating func nextWaiting(_ seq: Int) -> UnitRef? {
        guard let chunk = chunks[seq], chunk.nextWaiting < chunk.items.count else { return nil }
        chunks[seq]?.nextWaiting += 1
        return UnitRef(chunk: seq, index: chunk.nextWaiting)
    }

    /// Picks a unit up: its lifecycle starts from what the ledger held.
    mutating func begin(_ ref: UnitRef, _ actions: inout [Action]) {
        guard var item = item(ref) else { return }
        counters.inFlight += 1
        let first = item.lifecycle.handle(.begin(previous: item.previous?.state, eventID: item.previous?.eventID))
        set(ref, item)
        advance(ref, first, &actions)
    }
}
