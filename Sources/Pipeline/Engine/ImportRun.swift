import Foundation
import MemoryAPI

/// The mutable state of one run of `ImportEngine`; owned by the task that runs it.
struct ImportRun {
    let engine: ImportEngine
    let jobID: String
    let reader: any UnitSource
    let emit: @Sendable (ImportProgress) -> Void
    let detected: @Sendable (SourceReport) -> Void
    let clock = ContinuousClock()
    let started: ContinuousClock.Instant
    var counters = ImportProgress()
    var lastEmit: ContinuousClock.Instant
    var chunkSeq = 0
    var readerDone = false
    var stopReason: String?
    var stopped = false
    var interrupted = false
    var open: [Int: WorkChunk] = [:]
    var order: [Int] = []
    /// Keys of units in chunks still open, so an input that repeats a record sends it once.
    var openKeys: Set<String> = []
    var ledger: Ledger { engine.ledger }
    var target: any MemoryTarget { engine.target }
    var options: ImportEngine.Options { engine.options }

    init(
        engine: ImportEngine, jobID: String, reader: any UnitSource, bytesTotal: Int64?,
        progress: @escaping @Sendable (ImportProgress) -> Void, detected: @escaping @Sendable (SourceReport) -> Void
    ) {
        self.engine = engine
        self.jobID = jobID
        self.reader = reader
        self.emit = progress
        self.detected = detected
        started = clock.now
        lastEmit = clock.now
        counters.bytesTotal = bytesTotal
    }

    mutating func execute() async throws -> ImportSummary {
        let retriesBefore = await target.retryCount()
        let job = try await ledger.job(jobID)
        let wasFinished = job?.state == .finished && (job?.runs ?? 0) > 1
        if options.operation == .add && !(target is any ChunkApplyingTarget) {
            try await runConcurrently()
        } else {
            try await runChunkAtATime()
        }
        counters.retries = await target.retryCount() - retriesBefore
        counters.elapsed = seconds(since: started)
        counters.records = reader.recordCount
        counters.bytesRead = reader.uncompressedBytes
        counters.inFlight = 0
        let counts = try await ledger.counts(jobID: jobID)
        let unresolved = (counts[.pending] ?? 0) + (counts[.inFlight] ?? 0) + (counts[.submitted] ?? 0)
        let state: JobState =
            interrupted ? .interrupted : stopped ? .stopped : unresolved > 0 ? .incomplete : .finished
        try await ledger.endRun(
            jobID: jobID, state: state, records: counters.records, retries: counters.retries,
            elapsed: counters.elapsed)
        try await ledger.settleRejects(jobID: jobID)
        let rejectsPath = try await RejectsFile.write(ledger: ledger, jobID: jobID)
        emit(counters)
        return ImportSummary(
            jobID: jobID, target: target.description, state: state, progress: counters,
            ledgerCounts: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
            stopReason: stopReason, rejectsFile: rejectsPath,
            nothingNew: wasFinished && counters.confirmed == 0 && counters.deferred == 0)
    }

    // MARK: - Reading chunks

    /// Reads the next chunk, settles what the ledger already knows, and writes the rest
    /// `in_flight` before anything is sent. Returns nil when the input is exhausted.
    mutating func readChunk() async throws -> WorkChunk? {
        var units: [ImportUnit] = []
        var rejects: [LedgerReject] = []
        var seen: Set<String> = []
        while units.count < options.chunkSize, !Task.isCancelled, let event = reader.next() {
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
            case .detected(let report):
                detected(report)
            }
        }
        counters.records = reader.recordCount
        counters.bytesRead = reader.uncompressedBytes
        if units.isEmpty && rejects.isEmpty { return nil }
        let seq = chunkSeq
        chunkSeq += 1
        counters.units += units.count
        counters.messages += units.reduce(0) { $0 + $1.messageCount }
        let known = try await ledger.units(jobID: jobID, keys: units.map(\.importKey))
        let undecided = units.filter { known[$0.importKey]?.state.isFinal != true }.map(\.importKey)
        let elsewhere = try await ledger.deliveredElsewhere(
            target: target.description, excludingJob: jobID, keys: undecided)
        // Keys the target itself already holds (another machine's run, the official script).
        var present: Set<String> = []
        if options.operation == .add, let index = engine.existingKeys {
            let ask = Set(undecided).subtracting(elsewhere)
            present = try await index.alreadyThere(units.filter { ask.contains($0.importKey) })
        }
        var rows: [LedgerUnit] = []
        var items: [WorkItem] = []
        for unit in units {
            let previous = known[unit.importKey]
            if let previous, previous.state.isFinal {
                if previous.state == .rejected { continue }
                counters.skippedExisting += 1
                continue
            }
            let fresh = Self.row(for: unit, chunk: seq, kind: options.operation.rawValue)
            var row = fresh
            if elsewhere.contains(unit.importKey) || present.contains(unit.importKey) {
                row.state = .skippedExisting
                rows.append(row)
                counters.skippedExisting += 1
                continue
            }
            row.attempts = previous?.attempts ?? 0
            row.state = previous?.state == .submitted ? .submitted : .inFlight
            row.eventID = previous?.eventID
            rows.append(row)
            items.append(WorkItem(unit: unit, previous: previous, chunk: seq, row: fresh))
            openKeys.insert(unit.importKey)
        }
        try await ledger.record(jobID: jobID, units: rows, rejects: rejects, chunk: (seq, items.isEmpty))
        var chunk = WorkChunk(seq: seq, items: items, remaining: items.count)
        if options.operation == .add, let target = target as? any ChunkApplyingTarget, !items.isEmpty {
            chunk.prepared = target.prepareAdds(items.compactMap(\.unit.payload.addRequest))
        }
        return chunk
    }

    static func row(for unit: ImportUnit, chunk: Int, kind: String) -> LedgerUnit {
        LedgerUnit(
            importKey: unit.importKey, chunk: chunk, kind: kind, state: .pending,
            locator: unit.locator.json.jsonString(), scope: unit.scope?.label,
            messages: unit.messageCount)
    }

    static func ledgerReject(_ r: ImportReject) -> LedgerReject {
        let locator = r.locator.json.jsonString()
        var message = r.message
        if let path = r.path { message += " (at \(path))" }
        return LedgerReject(
            key: SHA256.hex(locator + "\u{1F}" + r.reason.rawValue), reason: r.reason.rawValue, message: message,
            locator: locator, record: r.raw.map { JSONValue.string($0).jsonString() })
    }

    // MARK: - Finishing units and chunks

    mutating func finish(_ d: Driven) async throws {
        // Taken out of the dictionary while it changes, so appending does not copy its arrays.
        guard var chunk = open.removeValue(forKey: d.chunk) else { return }
        counters.inFlight -= 1
        if d.interrupted {
            interrupted = true
        } else {
            chunk.finished.append(d.row)
            switch d.row.state {
            case .confirmed: counters.confirmed += 1
            case .skippedExisting: counters.skippedExisting += 1
            case .rejected:
                counters.reject(d.reject?.reason ?? "rejected")
                if let r = d.reject { chunk.rejects.append(r) }
            default: counters.deferred += 1
            }
        }
        if let stop = d.stopJob, !stopped {
            stopped = true
            stopReason = stop
        }
        chunk.remaining -= 1
        open[d.chunk] = chunk
        if chunk.remaining == 0 && chunk.next >= chunk.items.count {
            try await closeChunk(d.chunk, done: true)
        }
        maybeEmit()
    }

    mutating func closeChunk(_ seq: Int, done: Bool) async throws {
        guard let chunk = open.removeValue(forKey: seq) else { return }
        order.removeAll { $0 == seq }
        for item in chunk.items { openKeys.remove(item.unit.importKey) }
        try await ledger.record(jobID: jobID, units: chunk.finished, rejects: chunk.rejects, chunk: (seq, done))
    }

    /// Records what the chunks still open have finished; the rest stays in_flight for the next run.
    mutating func checkpointOpenChunks() async throws {
        for seq in order { try await closeChunk(seq, done: false) }
    }

    mutating func maybeEmit() {
        let now = clock.now
        guard now - lastEmit >= .milliseconds(200) else { return }
        lastEmit = now
        counters.elapsed = seconds(since: started)
        counters.bytesRead = reader.uncompressedBytes
        counters.records = reader.recordCount
        emit(counters)
    }

    func seconds(since instant: ContinuousClock.Instant) -> Double {
        let d = clock.now - instant
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
