import MemoryAPI

/// Where memories go and come from: the embedded store opened in-process, or a Mem0 HTTP API
/// (the hosted platform or `memport serve`). Every command works against both.
public protocol MemoryTarget: Sendable {
    /// The target as logs, ledgers and summaries show it: never a secret.
    var description: String { get }

    /// Sends one add call.
    ///
    /// - Returns: the memories applied now, or the job id of a queued add.
    /// - Throws: `MemoryAPIError`, classified for the unit lifecycle.
    func add(_ request: AddRequest) async throws -> AddOutcome

    /// Sends many add calls; a target that can apply them in one transaction does so.
    ///
    /// The default sends them one by one. Each request gets its own result, in order.
    func addMany(_ requests: [AddRequest]) async -> [Result<AddOutcome, any Error>]

    /// `true` when the target applies a whole chunk of adds in one transaction (the embedded
    /// store): the engine then hands it chunks whole, one at a time and in order.
    var appliesChunks: Bool { get }

    /// The executor the engine runs its calls on when they go through this target (nil: the
    /// global executor). An HTTP target names its client's event loop
    /// (`MemoryClient.taskExecutor`); nothing blocking may run there.
    var taskExecutor: (any TaskExecutor)? { get }

    /// A hint that these adds come next: a target that can do part of the work ahead (the
    /// embedded store validates them and makes their rows' values) does it now, while it
    /// applies the chunk before. The default does nothing.
    func prepare(_ requests: [AddRequest]) async

    /// The status of a queued add.
    func job(_ eventID: String) async throws -> MemoryJob

    /// The memories carrying `metadata.memport_import_key == key`, within `scope` when given.
    func memories(importKey: String, scope: Scope?) async throws -> [Memory]

    /// Applies a batch update of at most 1000 items, all or nothing.
    func batchUpdate(_ items: [BatchUpdateItem]) async throws

    /// Applies a batch delete of at most 1000 items, all or nothing.
    func batchDelete(_ items: [BatchDeleteItem]) async throws

    /// Every entity that owns memories.
    func entities() async throws -> [Entity]

    /// One page of the memories that match `filter`, in a stable order.
    func memories(filter: MemoryFilter, page: Int, pageSize: Int) async throws -> Page<Memory>

    /// One page of the memories that match `filter` in a Dream lifecycle view: `include_merged`
    /// and `latest_only` sent to the target. The default ignores the view (a target without Dream).
    func memories(filter: MemoryFilter, page: Int, pageSize: Int, lifecycle: LifecycleView) async throws
        -> Page<Memory>

    /// Retries the target's transport made so far (for summaries).
    func retryCount() async -> Int

    /// 429 answers the target gave so far (for summaries); the default counts none.
    func rateLimitedCount() async -> Int

    /// Releases connections and files.
    func close() async

    /// Checks, before a job sends anything, that the target can be reached at all: a target
    /// that refuses connections fails here at once with its cause instead of every unit
    /// retrying. Targets with nothing to check do nothing.
    func preflight() async throws
}

/// What an add call did.
public enum AddOutcome: Sendable, Hashable {
    /// Applied now; the ids of the memories it created, changed or matched.
    case applied(memoryIDs: [String])
    /// Applied, and every message matched a memory the target already held (all `NOOP`):
    /// nothing was written; the ids of the memories matched.
    case alreadyThere(memoryIDs: [String])
    /// Queued as a job to poll.
    case queued(eventID: String)
}

extension MemoryTarget {
    /// None: the global executor.
    public var taskExecutor: (any TaskExecutor)? { nil }

    /// The listing without a lifecycle view.
    public func memories(filter: MemoryFilter, page: Int, pageSize: Int, lifecycle: LifecycleView) async throws
        -> Page<Memory>
    {
        try await memories(filter: filter, page: page, pageSize: pageSize)
    }

    /// Calls go one by one (HTTP).
    public var appliesChunks: Bool { false }

    /// A target with no rate limit.
    public func rateLimitedCount() async -> Int { 0 }

    /// Nothing to prepare.
    public func prepare(_ requests: [AddRequest]) async {}

    /// Nothing to check.
    public func preflight() async throws {}

    /// Sends the requests one after another.
    public func addMany(_ requests: [AddRequest]) async -> [Result<AddOutcome, any Error>] {
        var out: [Result<AddOutcome, any Error>] = []
        out.reserveCapacity(requests.count)
        for request in requests {
            do {
                out.append(.success(try await add(request)))
            } catch {
                out.append(.failure(error))
            }
        }
        return out
    }

    /// The outcome an add answer describes: queued when it names a pending job; already there
    /// when every result is a `NOOP` (a memory the target held); applied otherwise, with the ids
    /// of the memories the call added, changed or matched.
    public static func outcome(of response: AddResponse) -> AddOutcome {
        if let pending = response.pendingEventIDs.first { return .queued(eventID: pending) }
        let ids = response.results.compactMap { r in r.event == .delete ? nil : r.id }
        if response.results.onlyMatchedExisting { return .alreadyThere(memoryIDs: ids) }
        return .applied(memoryIDs: ids)
    }
}
