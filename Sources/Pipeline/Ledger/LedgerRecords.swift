import Foundation
import GRDB
import MemoryAPI

/// The state of a job as a whole.
public enum JobState: String, Sendable, Hashable, Codable {
    /// A run is (or was, if it crashed) under way.
    case running
    /// Every unit reached a final state.
    case finished
    /// Stopped by Ctrl-C or SIGTERM, checkpointed.
    case interrupted
    /// Stopped because the target refused the key; resumes once the key is right.
    case stopped
    /// Ended with units left for a later run (retryable failures).
    case incomplete
}

/// A job as the ledger holds it.
public struct LedgerJob: Sendable, Hashable, Codable {
    /// The job id.
    public var id: String
    /// The job's spec as JSON, without secrets.
    public var spec: String
    /// The target, without secrets.
    public var target: String
    /// The source fingerprints as JSON.
    public var sources: String
    /// The job's state.
    public var state: JobState
    /// When the job was created.
    public var createdAt: String
    /// When the job last changed.
    public var updatedAt: String
    /// When the job finished.
    public var finishedAt: String?
    /// Records read by the last run.
    public var records: Int
    /// Retries made over all runs.
    public var retries: Int
    /// Seconds spent over all runs.
    public var elapsed: Double
    /// How many runs the job has had.
    public var runs: Int

    init(row: Row) {
        id = row["id"]
        spec = row["spec"]
        target = row["target"]
        sources = row["sources"]
        state = JobState(rawValue: row["state"]) ?? .running
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
        finishedAt = row["finished_at"]
        records = row["records"]
        retries = row["retries"]
        elapsed = row["elapsed_s"]
        runs = row["runs"]
    }
}

/// A unit as the ledger holds it.
public struct LedgerUnit: Sendable, Hashable {
    /// The import key.
    public var importKey: String
    /// The chunk it belongs to.
    public var chunk: Int
    /// `add`, `update` or `delete`.
    public var kind: String
    /// Its state.
    public var state: UnitState
    /// Sends over all runs.
    public var attempts: Int
    /// The last failure, in words (never a secret).
    public var lastError: String?
    /// The job id of a queued add.
    public var eventID: String?
    /// The memories it produced.
    public var memoryIDs: [String]
    /// Where it came from, as JSON.
    public var locator: String
    /// Its scope, as a label.
    public var scope: String?
    /// How many messages it carries.
    public var messages: Int

    /// Creates a unit record.
    public init(
        importKey: String, chunk: Int, kind: String, state: UnitState, attempts: Int = 0, lastError: String? = nil,
        eventID: String? = nil, memoryIDs: [String] = [], locator: String, scope: String? = nil, messages: Int = 0
    ) {
        self.importKey = importKey
        self.chunk = chunk
        self.kind = kind
        self.state = state
        self.attempts = attempts
        self.lastError = lastError
        self.eventID = eventID
        self.memoryIDs = memoryIDs
        self.locator = locator
        self.scope = scope
        self.messages = messages
    }

    init(row: Row) {
        importKey = row["import_key"]
        chunk = row["chunk_seq"]
        kind = row["kind"]
        state = UnitState(rawValue: row["state"]) ?? .pending
        attempts = row["attempts"]
        lastError = row["last_error"]
        eventID = row["event_id"]
        let ids: String? = row["memory_ids"]
        memoryIDs = ids.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
        locator = row["locator"]
        scope = row["scope"]
        messages = row["messages"]
    }
}

/// A reject as the ledger holds it.
public struct LedgerReject: Sendable, Hashable {
    /// Identifies the reject within its job (so a re-run does not list it twice).
    public var key: String
    /// The unit's import key, when a unit was rejected (not a record that failed to parse).
    public var importKey: String?
    /// A stable reason code.
    public var reason: String
    /// The HTTP status, when the target refused it.
    public var status: Int?
    /// Why, in words.
    public var message: String
    /// Where it came from, as JSON.
    public var locator: String
    /// The record or payload, as JSON text (for a `raw` reject, a JSON string of its first bytes).
    public var record: String?
    /// Whether `rejects --replay` has fed it through again.
    public var replayed: Bool
    /// What `record` holds: `unit` (a refused unit's payload), `record` (an input record that is
    /// JSON), `row` (a CSV row as an object) or `raw` (input that is not JSON, cut to a bound).
    public var kind: Kind
    /// The preset that read an input record.
    public var preset: String?
    /// The identity of the input an input record came from.
    public var source: String?
    /// The input record's length in bytes, when known.
    public var length: Int64?

    /// What a reject's `record` holds.
    public enum Kind: String, Sendable, Hashable {
        /// The payload of a unit the target refused.
        case unit
        /// An input record that is JSON.
        case record
        /// A CSV row, as an object of column to value.
        case row
        /// Input that is not JSON (or not held): its first bytes as text, when any.
        case raw
    }

    /// Creates a reject record.
    public init(
        key: String, importKey: String? = nil, reason: String, status: Int? = nil, message: String, locator: String,
        record: String? = nil, replayed: Bool = false, kind: Kind? = nil, preset: String? = nil,
        source: String? = nil, length: Int64? = nil
    ) {
        self.key = key
        self.importKey = importKey
        self.reason = reason
        self.status = status
        self.message = message
        self.locator = locator
        self.record = record
        self.replayed = replayed
        self.kind = kind ?? (importKey == nil ? .raw : .unit)
        self.preset = preset
        self.source = source
        self.length = length
    }

    init(row: Row) {
        key = row["reject_key"]
        importKey = row["import_key"]
        reason = row["reason"]
        status = row["status"]
        message = row["message"]
        locator = row["locator"]
        record = row["record"]
        replayed = (row["replayed"] as Int? ?? 0) != 0
        kind = (row["kind"] as String?).flatMap(Kind.init(rawValue:)) ?? (importKey == nil ? .raw : .unit)
        preset = row["preset"]
        source = row["source"]
        length = row["length"]
    }
}
