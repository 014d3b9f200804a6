/// The life of one add unit, as a pure state machine: it takes what happened and says what to do.
///
/// The runner owns the I/O (calls, polls, ledger writes); this type owns the decisions, so that
/// exactly-once delivery can be tested without a network (DESIGN invariant 2):
/// - a unit found `in_flight` (a crash, or a dropped connection after the body was sent) is
///   looked up on the target by its import key before it is sent again;
/// - a queued job (`submitted`) is polled, never re-sent while it may still run;
/// - bad data is rejected, a refused key stops the job, and a failure that may pass (a call
///   that failed transiently after the client's own retries) is sent again in the same run
///   while the unit has attempts left (and the job its retry budget, ``RetryBudget``); only
///   then is it left `pending` for a later run.
public struct UnitLifecycle: Sendable, Hashable {
    /// Limits of the machine.
    public struct Policy: Sendable, Hashable {
        /// Sends (and re-sends after a lookup) one run makes at most.
        public var maxAttempts: Int
        /// Creates a policy.
        public init(maxAttempts: Int = 8) { self.maxAttempts = max(1, maxAttempts) }
    }

    /// How a failed call is classified by the runner (from `MemoryAPIError`).
    public enum Failure: Sendable, Hashable {
        /// The target refused the data (400, 404, 409, 413, 422): retrying cannot help.
        case refused(reason: String, status: Int?, message: String)
        /// The key was refused (401, 403): the whole job stops, checkpointed.
        case authentication(message: String)
        /// The call may have been applied (a connection dropped after the body was sent).
        case ambiguous(message: String)
        /// The call failed and was not applied (429, 5xx, timeouts after the client's own retries).
        case transient(message: String)
    }

    /// What happened.
    public enum Event: Sendable, Hashable {
        /// The runner picked the unit up; `previous` is its state in the ledger (nil: new) and
        /// `eventID` the job id recorded with a `submitted` unit.
        case begin(previous: UnitState?, eventID: String?)
        /// The lookup by import key found these memory ids (empty: none).
        case lookedUp(memoryIDs: [String])
        /// The target applied the call and named the memories it added, changed or matched.
        case applied(memoryIDs: [String])
        /// The target applied the call and every message matched a memory it already held (all
        /// `NOOP`): nothing new was written.
        case matched(memoryIDs: [String])
        /// The target queued the call as a job.
        case queued(eventID: String)
        /// The queued job finished.
        case jobFinished(succeeded: Bool, memoryIDs: [String], error: String?)
        /// The call, lookup or poll failed.
        case failed(Failure)
    }

    /// What the runner must do next.
    public enum Action: Sendable, Hashable {
        /// Send the add call.
        case send
        /// Look the import key up on the target.
        case lookUp
        /// Poll the job until it finishes.
        case poll(eventID: String)
        /// Record the final state (confirmed, rejected, skipped_existing) and stop.
        case finish
        /// Leave the unit pending for a later run and stop.
        case deferToLaterRun
        /// Stop the whole job: the key was refused.
        case stopJob(message: String)
    }

    /// The state to record.
    public private(set) var state: UnitState = .pending
    /// Sends made in this run.
    public private(set) var attempts = 0
    /// The job id, while `submitted`.
    public private(set) var eventID: String?
    /// The memories the unit produced or was found under.
    public private(set) var memoryIDs: [String] = []
    /// The last failure, in words.
    public private(set) var lastError: String?
    /// Why the unit was rejected: a stable reason code and the HTTP status.
    public private(set) var rejection: (reason: String, status: Int?)?
    /// The limits.
    public let policy: Policy
    /// `true` while an earlier send may have been applied and no lookup has ruled it out.
    public private(set) var mayHaveLanded = false
    /// Lookups sent again after a transient failure in this run.
    public private(set) var lookUpRetries = 0

    /// Starts a machine.
    public init(policy: Policy = Policy()) { self.policy = policy }

    /// Feeds an event and returns the next action.
    public mutating func handle(_ event: Event) -> Action {
        switch event {
        case .begin(let previous, let recordedEventID):
            switch previous {
            case .some(let s) where s.isFinal:
                state = s
                return .finish
            case .inFlight:
                state = .inFlight
                mayHaveLanded = true
                return .lookUp
            case .submitted:
                state = .submitted
                if let recordedEventID {
                    eventID = recordedEventID
                    return .poll(eventID: recordedEventID)
                }
                return .lookUp
            default:
                return send()
            }
        case .lookedUp(let ids):
            mayHaveLanded = false
            if !ids.isEmpty {
                memoryIDs = ids
                state = attempts == 0 && lastError == nil ? .skippedExisting : .confirmed
                return .finish
            }
            return attempts < policy.maxAttempts ? send() : deferUnit()
        case .applied(let ids):
            memoryIDs = ids
            state = .confirmed
            eventID = nil
            return .finish
        case .matched(let ids):
            // Already there, unless an earlier send of this unit may be what it matched.
            memoryIDs = ids
            state = attempts <= 1 && lastError == nil ? .skippedExisting : .confirmed
            eventID = nil
            return .finish
        case .queued(let id):
            state = .submitted
            eventID = id
            return .poll(eventID: id)
        case .jobFinished(let succeeded, let ids, let error):
            if succeeded {
                memoryIDs = ids
                state = .confirmed
                return .finish
            }
            lastError = error ?? "the queued job failed"
            eventID = nil
            state = .pending
            return attempts < policy.maxAttempts ? send() : deferUnit()
        case .failed(let failure):
            switch failure {
            case .refused(let reason, let status, let message):
                lastError = message
                rejection = (reason, status)
                state = .rejected
                return .finish
            case .authentication(let message):
                lastError = message
                return .stopJob(message: message)
            case .ambiguous(let message):
                lastError = message
                state = .inFlight
                mayHaveLanded = true
                return .lookUp
            case .transient(let message):
                lastError = message
                if state == .submitted, let eventID { return .poll(eventID: eventID) }
                // Not applied: worth another send in this run while attempts are left.
                if mayHaveLanded {
                    guard lookUpRetries < policy.maxAttempts else { return deferUnit() }
                    lookUpRetries += 1
                    return .lookUp
                }
                return attempts < policy.maxAttempts ? send() : deferUnit()
            }
        }
    }

    /// Leaves the unit for a later run now (the job's retry budget is spent), in the state
    /// that tells the next run what to do first.
    public mutating func deferNow() -> Action { deferUnit() }

    private mutating func send() -> Action {
        attempts += 1
        state = .inFlight
        return .send
    }

    private mutating func deferUnit() -> Action {
        // A unit whose send may have landed stays in_flight, so the next run looks it up first.
        state = mayHaveLanded ? .inFlight : .pending
        return .deferToLaterRun
    }

    /// Equality ignores nothing but the tuple, which Swift cannot synthesise.
    public static func == (a: UnitLifecycle, b: UnitLifecycle) -> Bool {
        a.state == b.state && a.attempts == b.attempts && a.mayHaveLanded == b.mayHaveLanded && a.eventID == b.eventID
            && a.memoryIDs == b.memoryIDs
            && a.lastError == b.lastError && a.rejection?.reason == b.rejection?.reason
            && a.rejection?.status == b.rejection?.status && a.policy == b.policy
    }

    /// Hashes the same fields equality compares.
    public func hash(into h: inout Hasher) {
        h.combine(state)
        h.combine(attempts)
        h.combine(eventID)
        h.combine(memoryIDs)
        h.combine(lastError)
        h.combine(rejection?.reason)
    }
}
