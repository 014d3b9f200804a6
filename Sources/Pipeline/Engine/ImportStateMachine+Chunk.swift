import MemoryAPI
import Reading

extension ImportStateMachine {
    /// Where an open chunk stands.
    enum Phase: Sendable, Hashable {
        /// Waiting for the ledger's knowledge of its units.
        case settling
        /// Its units are being written `in_flight`.
        case recording
        /// Recorded; its units may be delivered.
        case delivering
    }

    /// Where one unit of an open chunk stands.
    enum Step: Sendable, Hashable {
        /// Not picked up yet.
        case waiting
        /// Its next call is decided and not dispatched yet (whole-chunk mode: the send waits
        /// for the chunk's apply).
        case ready(UnitLifecycle.Action)
        /// A call for it is out.
        case running
        /// Final, deferred or stopped: its row is in `finished`.
        case done
    }

    /// One unit to deliver, with what the ledger knew of it.
    struct Item: Sendable {
        var unit: ImportUnit
        var previous: LedgerUnit?
        /// The unit's ledger row as first built (state pending), which each outcome starts from.
        var row: LedgerUnit
        var lifecycle: UnitLifecycle
        var step: Step = .waiting
    }

    /// One chunk read and not yet closed.
    struct Chunk: Sendable {
        var seq: Int
        var phase: Phase = .settling
        /// Units as read (deduplicated), until settled.
        var units: [ImportUnit]
        /// Record-level rejects of the batch, recorded with the chunk.
        var recordRejects: [LedgerReject]
        /// The units to deliver.
        var items: [Item] = []
        /// Items not yet picked up start here.
        var nextWaiting = 0
        /// Items not yet done.
        var remaining = 0
        /// Rows and rejects of done items, not yet recorded.
        var finished: [LedgerUnit] = []
        var rejects: [LedgerReject] = []
        /// Whether the chunk's adds were handed to the target to prepare, and whether that finished.
        var preparing = false
        var prepared = false
        /// Whether the chunk's apply (whole-chunk and batch modes) went out.
        var applied = false
        /// Whether its answers are being written.
        var closing = false
        /// Whether answers of a chunk still delivering are being written (`answersPerRecord`).
        var flushing = false
    }

    /// The ledger row of a unit as first read.
    static func row(for unit: ImportUnit, chunk: Int, kind: String) -> LedgerUnit {
        LedgerUnit(
            importKey: unit.importKey, chunk: chunk, kind: kind, state: .pending,
            locator: unit.locator.json.jsonString(), scope: unit.scope?.label,
            messages: unit.messageCount)
    }

    /// A record-level reject (the input could not be read) as the ledger keeps it, with the record.
    static func ledgerReject(_ r: ImportReject) -> LedgerReject { LedgerReject(input: r) }

    /// A refused unit as the ledger keeps it: the payload it sent, so it can be fixed and replayed.
    static func unitReject(_ item: Item, row: LedgerUnit, rejection: Rejection, message: String) -> LedgerReject {
        let record: String?
        switch item.unit.payload {
        case .add(let r): record = try? JSONValue(encoding: r).jsonString()
        case .batchUpdate(let u): record = try? JSONValue(encoding: u).jsonString()
        }
        return LedgerReject(
            key: item.unit.importKey, importKey: item.unit.importKey, reason: rejection.reason,
            status: rejection.status, message: message, locator: row.locator, record: record)
    }

    /// The row a unit's lifecycle ended in.
    static func row(of item: Item) -> LedgerUnit {
        let m = item.lifecycle
        var row = item.row
        row.state = m.state
        row.attempts = (item.previous?.attempts ?? 0) + m.attempts
        row.lastError = m.lastError
        row.eventID = m.state == .submitted ? m.eventID : nil
        row.memoryIDs = m.memoryIDs
        return row
    }
}
