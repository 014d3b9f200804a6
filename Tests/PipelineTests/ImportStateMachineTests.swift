import MemoryAPI
import Reading
import TestSupport
import Testing

@testable import Pipeline

@Suite struct ImportStateMachineTests {
    typealias M = ImportStateMachine
    typealias Ref = M.UnitRef

    static func unit(_ n: Int, update: Bool = false) -> ImportUnit {
        let key = "key-\(n)"
        let payload: ImportUnit.Payload
        if update {
            payload = .batchUpdate(BatchUpdateItem(memoryID: "mem-\(n)", text: "text \(n)"))
        } else {
            payload = .add(
                AddRequest(
                    messages: [Message(role: .user, text: "text \(n)")], scope: Scope(userID: "u"),
                    metadata: [MemoryFilter.importKeyField: .string(key)]))
        }
        return ImportUnit(
            payload: payload, importKey: key, locator: RecordLocator(file: "f", line: n),
            source: SourceFingerprint(identity: "f", size: nil, modified: nil, headHash: ""), adapter: "test")
    }

    static func batch(_ range: Range<Int>, update: Bool = false) -> UnitBatch {
        UnitBatch(events: range.map { .unit(unit($0, update: update)) }, records: range.upperBound, bytesRead: 0)
    }

    /// Drives a machine up to its first sends: a batch of `count` units read, settled with
    /// `known`, recorded.
    static func started(
        count: Int, concurrency: Int = 8, appliesChunks: Bool = false, known: [String: LedgerUnit] = [:]
    ) -> (M, [M.Action]) {
        var m = M(configuration: .init(concurrency: concurrency, appliesChunks: appliesChunks))
        #expect(m.start().isRead)
        let settle = m.handle(.batchRead(batch(0..<count)))
        #expect(settle.contains { if case .settle = $0 { true } else { false } })
        let record = m.handle(.settled(chunk: 0, known: known, deliveredElsewhere: []))
        #expect(record.contains { if case .recordInFlight = $0 { true } else { false } })
        #expect(!record.contains { $0.isCall }, "nothing goes out before the chunk is recorded in flight")
        let actions = m.handle(.recorded(chunk: 0))
        return (m, actions)
    }

    @Test func nothingIsSentBeforeItsUnitIsRecordedInFlight() {
        var m = M(configuration: .init(concurrency: 4))
        _ = m.start()
        _ = m.handle(.batchRead(Self.batch(0..<3)))
        let record = m.handle(.settled(chunk: 0, known: [:], deliveredElsewhere: []))
        guard case .recordInFlight(_, let rows, _, let done) = record.first(where: { $0.isRecordInFlight }) else {
            Issue.record("no recordInFlight")
            return
        }
        #expect(rows.map(\.state) == [.inFlight, .inFlight, .inFlight] && !done)
        #expect(!record.contains { $0.isCall })
        let sends = m.handle(.recorded(chunk: 0)).filter(\.isCall)
        #expect(sends.count == 3)
    }

    @Test func theWindowHoldsAtMostConcurrencyUnits() {
        var (m, actions) = Self.started(count: 10, concurrency: 3)
        #expect(actions.filter(\.isCall).count == 3)
        let first = actions.compactMap(\.sentRef)[0]
        actions = m.handle(.unitAnswered(first, .applied(memoryIDs: ["m"])))
        #expect(actions.filter(\.isCall).count == 1, "one slot freed, one unit sent")
    }

    @Test func theAnswerIsRecordedInTheTransactionThatClosesTheChunk() {
        var (m, actions) = Self.started(count: 3)
        var closes: [M.Action] = []
        for (i, ref) in actions.compactMap(\.sentRef).enumerated() {
            let next = m.handle(.unitAnswered(ref, .applied(memoryIDs: ["m\(i)"])))
            closes += next.filter(\.isRecordAnswers)
            if i < 2 { #expect(closes.isEmpty, "a chunk closes only when all its units are final") }
        }
        guard case .recordAnswers(let seq, let rows, _, let done) = closes.first, closes.count == 1 else {
            Issue.record("expected one recordAnswers, got \(closes)")
            return
        }
        #expect(seq == 0 && done)
        #expect(rows.map(\.state) == [.confirmed, .confirmed, .confirmed])
        #expect(Set(rows.flatMap(\.memoryIDs)) == ["m0", "m1", "m2"])
        #expect(m.counters.confirmed == 3)
        // The input ends and the chunk's record is acknowledged: the run finishes.
        _ = m.handle(.inputEnded)
        let end = m.handle(.answersRecorded(chunk: 0))
        #expect(end.contains { if case .finish(.finished) = $0 { true } else { false } })
    }

    /// A chunk still delivering records its answers every `answersPerRecord` units, one write
    /// at a time, and closes with the rest: every unit is recorded once, the close last.
    @Test func answersAreRecordedInBatchesBeforeTheChunkCloses() {
        var m = M(configuration: .init(concurrency: 4, answersPerRecord: 3))
        _ = m.start()
        _ = m.handle(.batchRead(Self.batch(0..<10)))
        _ = m.handle(.settled(chunk: 0, known: [:], deliveredElsewhere: []))
        var waiting: [Ref] = []
        var writes: [(rows: [LedgerUnit], done: Bool)] = []
        var writing = false
        var issuedAt = 0
        var step = 0
        func take(_ actions: [M.Action]) {
            waiting += actions.compactMap(\.sentRef)
            for case .recordAnswers(0, let rows, _, let done) in actions {
                #expect(!writing, "one write of the chunk's answers at a time")
                writing = true
                issuedAt = step
                writes.append((rows, done))
            }
        }
        take(m.handle(.recorded(chunk: 0)))
        while !waiting.isEmpty || writing {
            step += 1
            if !waiting.isEmpty {
                let ref = waiting.removeFirst()
                take(m.handle(.unitAnswered(ref, .applied(memoryIDs: ["m\(ref.index)"]))))
            }
            // The ledger answers a write one unit's answer later (at once when nothing is out).
            if writing && (step > issuedAt || waiting.isEmpty) {
                writing = false
                take(m.handle(.answersRecorded(chunk: 0)))
            }
        }
        #expect(writes.count >= 3, "\(writes.map(\.rows.count))")
        #expect(writes.dropLast().allSatisfy { !$0.done && $0.rows.count >= 3 })
        #expect(writes.last?.done == true, "the chunk closes last")
        let keys = writes.flatMap { $0.rows.map(\.importKey) }
        #expect(keys.count == 10 && Set(keys).count == 10, "every unit recorded once")
        #expect(writes.allSatisfy { $0.rows.allSatisfy { $0.state == .confirmed } })
    }

    @Test func afterAnInterruptNothingNewIsSentAndWhatIsInFlightIsRecorded() {
        var (m, actions) = Self.started(count: 6, concurrency: 2)
        let refs = actions.compactMap(\.sentRef)
        #expect(refs.count == 2)
        var after = m.handle(.interrupt)
        #expect(!after.contains { $0.isCall })
        after = m.handle(.unitAnswered(refs[0], .applied(memoryIDs: ["m0"])))
        #expect(!after.contains { $0.isCall }, "a freed slot is not refilled after an interrupt")
        #expect(!after.contains { $0.isFinish }, "the other call is still out")
        after = m.handle(.unitInterrupted(refs[1]))
        guard case .recordAnswers(_, let rows, _, let done) = after.first(where: { $0.isRecordAnswers }) else {
            Issue.record("the open chunk is not recorded: \(after)")
            return
        }
        #expect(!done, "the chunk stays open: its other units stay in flight for the next run")
        #expect(rows.map(\.importKey) == ["key-0"] && rows[0].state == .confirmed)
        #expect(!after.contains { $0.isFinish }, "finish waits for the record")
        let end = m.handle(.answersRecorded(chunk: 0))
        #expect(end.contains { if case .finish(.interrupted) = $0 { true } else { false } })
    }

    @Test func aRefusedKeyStopsTheJob() {
        var (m, actions) = Self.started(count: 5, concurrency: 2)
        let refs = actions.compactMap(\.sentRef)
        actions = m.handle(.unitAnswered(refs[0], .failed(.authentication(message: "bad key"))))
        #expect(!actions.contains { $0.isCall })
        #expect(m.stopReason == "bad key")
        actions = m.handle(.unitAnswered(refs[1], .applied(memoryIDs: ["m1"])))
        #expect(actions.contains { $0.isRecordAnswers })
        actions = m.handle(.answersRecorded(chunk: 0))
        #expect(actions.contains { if case .finish(.stopped) = $0 { true } else { false } })
    }

    @Test func onResumeUnitsInFlightAreLookedUpBeforeAnythingIsSent() {
        let known = [
            "key-0": LedgerUnit(
                importKey: "key-0", chunk: 0, kind: "add", state: .inFlight, attempts: 1, locator: "{}"),
            "key-1": LedgerUnit(importKey: "key-1", chunk: 0, kind: "add", state: .confirmed, locator: "{}"),
        ]
        var (m, actions) = Self.started(count: 3, known: known)
        let lookups = actions.compactMap { a -> Ref? in if case .lookUp(let r, _, _) = a { r } else { nil } }
        #expect(lookups == [Ref(chunk: 0, index: 0)], "the unit left in flight is looked up")
        #expect(actions.compactMap(\.sentRef) == [Ref(chunk: 0, index: 1)], "only the new unit is sent")
        #expect(m.counters.skippedExisting == 1, "the confirmed unit is not delivered again")
        actions = m.handle(.unitAnswered(lookups[0], .lookedUp(memoryIDs: [])))
        #expect(actions.compactMap(\.sentRef) == [lookups[0]], "not found: sent again")
    }

    @Test func wholeChunksArePreparedAndAppliedOneAtATimeInOrder() {
        var m = M(configuration: .init(chunkSize: 2, appliesChunks: true))
        var actions = m.start()
        actions = m.handle(.batchRead(Self.batch(0..<2)))
        #expect(actions.contains { $0.isRead }, "the next chunk is read meanwhile")
        actions = m.handle(.settled(chunk: 0, known: [:], deliveredElsewhere: []))
        actions = m.handle(.recorded(chunk: 0))
        #expect(actions.contains { if case .prepare(0, let r) = $0 { r.count == 2 } else { false } })
        #expect(!actions.contains { if case .apply = $0 { true } else { false } }, "apply waits for prepare")
        actions = m.handle(.prepared(chunk: 0))
        guard case .apply(0, let sends) = actions.first(where: { $0.isApply }) else {
            Issue.record("no apply: \(actions)")
            return
        }
        #expect(sends.map(\.0.index) == [0, 1])
        // The second chunk is read, recorded and prepared while the first is applied.
        actions = m.handle(.batchRead(Self.batch(2..<4)))
        actions = m.handle(.settled(chunk: 1, known: [:], deliveredElsewhere: []))
        actions = m.handle(.recorded(chunk: 1))
        actions += m.handle(.prepared(chunk: 1))
        #expect(!actions.contains { $0.isApply }, "one chunk at a time")
        actions = m.handle(.chunkApplied(chunk: 0, sends.map { ($0.0, .applied(memoryIDs: ["x"])) }))
        #expect(actions.contains { $0.isRecordAnswers })
        #expect(actions.contains { if case .apply(1, _) = $0 { true } else { false } }, "then the next, in order")
    }

    @Test func batchUpdatesGoOutAsOneCallPerChunk() {
        var m = M(configuration: .init(operation: .update))
        _ = m.start()
        _ = m.handle(.batchRead(Self.batch(0..<3, update: true)))
        _ = m.handle(.settled(chunk: 0, known: [:], deliveredElsewhere: []))
        let actions = m.handle(.recorded(chunk: 0))
        guard
            case .applyBatch(0, let items) = actions.first(where: { if case .applyBatch = $0 { true } else { false } })
        else {
            Issue.record("no applyBatch: \(actions)")
            return
        }
        #expect(items.count == 3)
        let outcomes = items.enumerated().map { i, item in
            M.BatchOutcome(
                ref: item.ref, state: i == 1 ? .rejected : .confirmed, error: i == 1 ? "bad" : nil,
                rejection: i == 1 ? .init(reason: "validation", status: 400) : nil)
        }
        let closed = m.handle(.batchApplied(chunk: 0, outcomes))
        guard case .recordAnswers(_, let rows, let rejects, true) = closed.first(where: { $0.isRecordAnswers }) else {
            Issue.record("not closed: \(closed)")
            return
        }
        #expect(rows.map(\.state) == [.confirmed, .rejected, .confirmed])
        #expect(rejects.map(\.importKey) == ["key-1"] && rejects[0].status == 400)
    }

    @Test func aKeyRepeatedInTheInputIsSentOnce() {
        var m = M(configuration: .init())
        _ = m.start()
        let events: [ImportEvent] = [.unit(Self.unit(1)), .unit(Self.unit(1)), .unit(Self.unit(2))]
        let actions = m.handle(.batchRead(UnitBatch(events: events, records: 3, bytesRead: 0)))
        guard case .settle(_, let units) = actions.first(where: { if case .settle = $0 { true } else { false } }) else {
            Issue.record("no settle")
            return
        }
        #expect(units.map(\.importKey) == ["key-1", "key-2"])
        #expect(m.counters.skippedMessages["duplicate_record"] == 1)
    }

    /// Runs the machine against a simulated ledger and target, completing outstanding actions
    /// in a random order with random failures and interrupts, over many seeds, and checks the
    /// invariants on every step.
    @Test(arguments: [false, true])
    func invariantsHoldUnderRandomSchedules(appliesChunks: Bool) {
        for seed in 1...300 {
            var sim = Simulation(seed: UInt64(seed), appliesChunks: appliesChunks)
            sim.run()
        }
    }
}

/// A ledger and target simulated in memory, driven in a random order.
struct Simulation {
    var rng: SeededRandom
    var machine: ImportStateMachine
    var ledger: [String: UnitState] = [:]
    var onTarget: Set<String> = []
    var outstanding: [ImportStateMachine.Action] = []
    var input: [UnitBatch]
    var interruptAt: Int
    var steps = 0

    init(seed: UInt64, appliesChunks: Bool) {
        rng = SeededRandom(seed: seed)
        let chunk = Int(rng.next() % 4) + 1
        machine = ImportStateMachine(
            configuration: .init(chunkSize: chunk, concurrency: Int(rng.next() % 3) + 1, appliesChunks: appliesChunks))
        let count = Int(rng.next() % 12)
        input = stride(from: 0, to: count, by: chunk).map { ImportStateMachineTests.batch($0..<min($0 + chunk, count)) }
        interruptAt = rng.next() % 3 == 0 ? Int(rng.next() % 40) : Int.max
        // Answers recorded before their chunk closes, every one to three units.
        machine = ImportStateMachine(
            configuration: .init(
                chunkSize: chunk, concurrency: machine.configuration.concurrency, appliesChunks: appliesChunks,
                answersPerRecord: Int(rng.next() % 3) + 1))
    }

    mutating func run() {
        outstanding = machine.start()
        var finished = false
        while !finished {
            steps += 1
            #expect(steps < 10_000, "the machine does not finish")
            if steps > 10_000 { return }
            if steps == interruptAt {
                accept(machine.handle(.interrupt))
            }
            if let i = outstanding.firstIndex(where: \.isFinish) {
                if case .finish(let state) = outstanding[i] {
                    check(end: state)
                }
                finished = true
                continue
            }
            guard !outstanding.isEmpty else {
                Issue.record("stalled with nothing outstanding")
                return
            }
            let action = outstanding.remove(at: Int(rng.next() % UInt64(outstanding.count)))
            accept(machine.handle(complete(action)))
        }
    }

    /// Takes the machine's new actions, checking that nothing new goes out once it stops.
    mutating func accept(_ actions: [ImportStateMachine.Action]) {
        let stopping = machine.isStopping
        let calls = actions.filter(\.isCall).count
        #expect(!stopping || calls == 0, "nothing new is sent after an interrupt")
        for case .recordAnswers(let seq, _, _, _) in actions {
            let writing = outstanding.contains { if case .recordAnswers(seq, _, _, _) = $0 { true } else { false } }
            #expect(!writing, "one write of a chunk's answers at a time")
        }
        outstanding += actions
    }

    /// What the simulated world answers, checking the invariants on the way.
    mutating func complete(_ action: ImportStateMachine.Action) -> ImportStateMachine.Event {
        switch action {
        case .read:
            return input.isEmpty ? .inputEnded : .batchRead(input.removeFirst())
        case .settle(let seq, _):
            return .settled(chunk: seq, known: [:], deliveredElsewhere: [])
        case .recordInFlight(let seq, let units, _, _):
            for u in units { ledger[u.importKey] = u.state }
            return .recorded(chunk: seq)
        case .recordAnswers(let seq, let units, _, _):
            for u in units {
                ledger[u.importKey] = u.state
                if u.state == .confirmed || u.state == .skippedExisting {
                    #expect(onTarget.contains(u.importKey), "confirmed only what the target holds")
                }
            }
            return .answersRecorded(chunk: seq)
        case .prepare(let seq, _):
            return .prepared(chunk: seq)
        case .send(let ref, let request):
            let key = request.metadata?[MemoryFilter.importKeyField]?.stringValue ?? "?"
            #expect(ledger[key] == .inFlight, "sent only once recorded in flight")
            return .unitAnswered(ref, deliver(key))
        case .lookUp(let ref, let key, _):
            return .unitAnswered(ref, .lookedUp(memoryIDs: onTarget.contains(key) ? [key] : []))
        case .poll(let ref, _):
            return .pollGaveUp(ref)
        case .apply(let seq, let sends):
            return .chunkApplied(
                chunk: seq,
                sends.map { ref, request in
                    let key = request.metadata?[MemoryFilter.importKeyField]?.stringValue ?? "?"
                    #expect(ledger[key] == .inFlight, "applied only once recorded in flight")
                    return (ref, deliver(key))
                })
        case .applyBatch(let seq, let items):
            return .batchApplied(chunk: seq, items.map { .init(ref: $0.ref, state: .confirmed) })
        case .finish:
            return .interrupt
        }
    }

    /// The target: applies, or fails in a way that may or may not have applied.
    mutating func deliver(_ key: String) -> UnitLifecycle.Event {
        #expect(!onTarget.contains(key), "\(key) delivered twice")
        switch rng.next() % 5 {
        case 0:
            onTarget.insert(key)
            return .failed(.ambiguous(message: "dropped after sending"))
        case 1:
            return .failed(.transient(message: "503"))
        default:
            onTarget.insert(key)
            return .applied(memoryIDs: [key])
        }
    }

    func check(end: JobState) {
        #expect(machine.counters.inFlight == 0, "nothing left in flight at the end")
        if end == .finished {
            #expect(input.isEmpty, "finished only after the input ended")
            for (key, state) in ledger where state == .confirmed {
                #expect(onTarget.contains(key), "\(key) confirmed but not on the target")
            }
        }
        // Every memory on the target is one the ledger knows (nothing sent unrecorded).
        for key in onTarget { #expect(ledger[key] != nil) }
    }
}

extension ImportStateMachine.Action {
    var isRead: Bool { if case .read = self { true } else { false } }
    var isFinish: Bool { if case .finish = self { true } else { false } }
    var isApply: Bool { if case .apply = self { true } else { false } }
    var isRecordInFlight: Bool { if case .recordInFlight = self { true } else { false } }
    var isRecordAnswers: Bool { if case .recordAnswers = self { true } else { false } }
    /// A call that reaches the target with new data.
    var isCall: Bool {
        switch self {
        case .send, .apply, .applyBatch: true
        default: false
        }
    }
    var sentRef: ImportStateMachine.UnitRef? { if case .send(let r, _) = self { r } else { nil } }
}

extension Array where Element == ImportStateMachine.Action {
    var isRead: Bool { count == 1 && self[0].isRead }
}
