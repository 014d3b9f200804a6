import MemoryAPI

/// Pages a target through an export plan in order, in constant memory, with the next pages
/// already on their way.
///
/// Pages are read by number in the server's stable insertion order. A write between two reads
/// shifts the later pages: a deletion can move an id already read into the next page, which
/// would be read twice. The ids of the last `window` pages are kept (a bounded set, not every
/// id) and a memory among them is dropped as a duplicate.
///
/// While the caller writes one page, up to `prefetch` further requests run: the rest of the
/// current pass (its first page's `count` says how many pages it has) and the first pages of
/// the passes after it. Pages are still handed out strictly in plan order, so checkpoints,
/// de-duplication and resuming are as if the pages had been read one by one; at most about
/// twice `prefetch` pages are held at once.
public struct ExportPager: Sendable {
    /// How many pages of ids are kept for de-duplication.
    public static let window = 2

    /// A page of a pass.
    struct PageRef: Hashable, Sendable {
        var pass: Int
        var page: Int
    }

    /// The target paged.
    public let target: any MemoryTarget
    /// Memories per page, at most 200.
    public let pageSize: Int
    /// Requests allowed to run ahead of the page being read (0 reads one page at a time).
    public let prefetch: Int
    /// Which Dream lifecycle states are read: every one (`include_merged`) unless told otherwise,
    /// so a backup holds the merged records too.
    public var lifecycle: LifecycleView
    /// Where the plan stands.
    public var state: ExportCheckpoint
    /// The passes this pager finished, with what their listings counted and what was read:
    /// kept only when `tallies` was asked for (verify), as it grows with the entities.
    public private(set) var finishedPasses: [PassTally] = []
    /// Keep a `PassTally` per finished pass.
    public var tallies = false
    private var passRead = 0
    private var passReported: Int?

    /// What one pass's listing said and gave.
    public struct PassTally: Sendable, Hashable {
        /// The pass.
        public var pass: ExportPass
        /// The `count` its first page reported (nil for a bare list).
        public var reported: Int?
        /// The memories its pages held (written, skipped or duplicates).
        public var read: Int
    }
    /// The last page each pass has, as its latest page's `count` says.
    private var lastPage: [Int: Int] = [:]
    private var inFlight: [PageRef: Task<Page<Memory>, any Error>] = [:]

    /// Creates a pager at a checkpoint.
    public init(
        target: any MemoryTarget, pageSize: Int = 200, prefetch: Int = 4, lifecycle: LifecycleView = .everything,
        state: ExportCheckpoint
    ) {
        self.target = target
        self.lifecycle = lifecycle
        self.pageSize = min(max(pageSize, 1), 200)
        self.prefetch = max(prefetch, 0)
        self.state = state
    }

    /// Starts a plan: one pass over `filters`, or one pass per entity of the target.
    ///
    /// - Parameters:
    ///   - single: the file every pass writes when not split.
    ///   - fileExtension: the extension of split files.
    public static func start(
        target: any MemoryTarget, filters: MemoryFilter?, splitBy: EntityType? = nil, single: String = "",
        fileExtension: String = "jsonl"
    ) async throws -> ExportCheckpoint {
        if let filters {
            return ExportCheckpoint(passes: [ExportPass(label: "filters", filter: filters, file: single)], entities: [])
        }
        let total = await serverTotal(target: target)
        let entities = try await target.entities()
        let passes = ExportPass.plan(
            entities: entities, splitBy: splitBy, single: single, fileExtension: fileExtension)
        let names = passes.map(\.label)
        var state = ExportCheckpoint(passes: passes, entities: names)
        state.serverTotal = total
        // Merged records are read too (`include_merged`); say how many of them default reads hide.
        if let total, let visible = await serverTotal(target: target, lifecycle: .standard), total > visible {
            state.mergedTotal = total - visible
        }
        return state
    }

    /// Every memory with an id of any kind: `{"OR": [{"user_id": "*"}, {"agent_id": "*"}, ...]}`.
    public static var everyMemory: MemoryFilter {
        .or(
            EntityType.allCases.map {
                .condition(FilterCondition(field: .entity($0), predicates: [FilterPredicate(.eq, .wildcard)]))
            })
    }

    /// How many memories the target says it holds (the `count` of a one-memory page of
    /// `everyMemory`, in the lifecycle view the pages are read in: merged records included by
    /// default); nil when it answers no count or refuses the filter.
    public static func serverTotal(target: any MemoryTarget, lifecycle: LifecycleView = .everything) async -> Int? {
        guard
            let page = try? await target.memories(
                filter: everyMemory, page: 1, pageSize: 1, lifecycle: lifecycle),
            page.shape == .paginated
        else { return nil }
        return page.count
    }

    /// What `nextUnlessCancelled()` found.
    public enum Step {
        /// A page of one pass.
        case page(pass: ExportPass, memories: [Memory])
        /// Every pass is read to its end.
        case end
        /// The task was cancelled (Ctrl-C, SIGTERM) before or while the page was fetched.
        case interrupted

        /// True for `.interrupted`.
        public var isInterrupted: Bool {
            if case .interrupted = self { return true }
            return false
        }
    }

    /// The next page's memories to write, with the pass they belong to; nil when the plan is done.
    ///
    /// - Throws: the target's `MemoryAPIError` (after its own retries); the requests running
    ///   ahead are cancelled.
    public mutating func next() async throws -> (pass: ExportPass, memories: [Memory])? {
        while state.pass < state.passes.count {
            let pass = state.passes[state.pass]
            let ref = PageRef(pass: state.pass, page: state.page)
            try schedule()
            let task = try inFlight.removeValue(forKey: ref) ?? request(ref)
            let page: Page<Memory>
            do {
                page = try await task.value
            } catch let error as MemoryAPIError where error.status == 404 && state.page > 1 {
                // Past the end ("Invalid page."): the last page was exactly full.
                advancePass()
                continue
            } catch {
                cancel()
                throw error
            }
            if state.page == 1 {
                state.serverCount += page.count
                passReported = page.shape == .paginated ? page.count : nil
            }
            passRead += page.results.count
            lastPage[state.pass] = max(lastPage[state.pass] ?? 1, (page.count + pageSize - 1) / pageSize)
            let recent = Set(state.recentIDs.joined().map(ExactText.init))
            var out: [Memory] = []
            out.reserveCapacity(page.results.count)
            for memory in page.results {
                state.read += 1
                if recent.contains(ExactText(memory.id)) {
                    state.duplicates += 1
                } else if pass.belongsEarlier(memory) {
                    state.skipped += 1
                } else {
                    out.append(memory)
                }
            }
            state.recentIDs.append(page.results.map(\.id))
            if state.recentIDs.count > Self.window { state.recentIDs.removeFirst(state.recentIDs.count - Self.window) }
            // A short page ends the pass, and so does a full one that the server's own count
            // says is the last (a bare list carries no count, so only a short page ends it).
            let last = page.shape == .paginated && state.page * pageSize >= page.count
            if page.results.count < pageSize || last {
                advancePass()
            } else {
                state.page += 1
            }
            return (pass, out)
        }
        return nil
    }

    /// Cancels the requests running ahead (when the export stops early).
    public mutating func cancel() {
        for task in inFlight.values { task.cancel() }
        inFlight = [:]
    }

    /// Starts the requests that come next in plan order, up to `prefetch` beyond the current page.
    private mutating func schedule() throws {
        var ref = PageRef(pass: state.pass, page: state.page)
        for _ in 0...prefetch {
            guard ref.pass < state.passes.count else { return }
            if inFlight[ref] == nil { inFlight[ref] = try request(ref) }
            if ref.page < lastPage[ref.pass] ?? 0 {
                ref.page += 1
            } else {
                ref = PageRef(pass: ref.pass + 1, page: 1)
            }
        }
    }

    private func request(_ ref: PageRef) throws -> Task<Page<Memory>, any Error> {
        let filter = try state.passes[ref.pass].filter()
        let target = target
        let pageSize = pageSize
        let lifecycle = lifecycle
        return Task {
            try await target.memories(filter: filter, page: ref.page, pageSize: pageSize, lifecycle: lifecycle)
        }
    }

    private mutating func advancePass() {
        if tallies, state.pass < state.passes.count {
            finishedPasses.append(PassTally(pass: state.passes[state.pass], reported: passReported, read: passRead))
        }
        passRead = 0
        passReported = nil
        // Requests for pages past this pass's end are no longer wanted.
        for (ref, task) in inFlight where ref.pass == state.pass {
            task.cancel()
            inFlight[ref] = nil
        }
        lastPage[state.pass] = nil
        state.pass += 1
        state.page = 1
        state.recentIDs = []
    }
}
