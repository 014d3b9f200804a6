import MemoryAPI

/// Pages a target through an export plan, one page at a time, in constant memory.
///
/// Pages are read by number in the server's stable insertion order. A write between two reads
/// shifts the later pages: a deletion can move an id already read into the next page, which
/// would be read twice. The ids of the last `window` pages are kept (a bounded set, not every
/// id) and a memory among them is dropped as a duplicate.
public struct ExportPager: Sendable {
    /// How many pages of ids are kept for de-duplication.
    public static let window = 2

    /// The target paged.
    public let target: any MemoryTarget
    /// Memories per page, at most 200.
    public let pageSize: Int
    /// Where the plan stands.
    public var state: ExportCheckpoint

    /// Creates a pager at a checkpoint.
    public init(target: any MemoryTarget, pageSize: Int = 200, state: ExportCheckpoint) {
        self.target = target
        self.pageSize = min(max(pageSize, 1), 200)
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
        let entities = try await target.entities()
        let passes = ExportPass.plan(
            entities: entities, splitBy: splitBy, single: single, fileExtension: fileExtension)
        let names = passes.map(\.label)
        return ExportCheckpoint(passes: passes, entities: names)
    }

    /// The next page's memories to write, with the pass they belong to; nil when the plan is done.
    ///
    /// - Throws: the target's `MemoryAPIError` (after its own retries).
    public mutating func next() async throws -> (pass: ExportPass, memories: [Memory])? {
        while state.pass < state.passes.count {
            let pass = state.passes[state.pass]
            let filter = try pass.filter()
            let page: Page<Memory>
            do {
                page = try await target.memories(filter: filter, page: state.page, pageSize: pageSize)
            } catch let error as MemoryAPIError where error.status == 404 && state.page > 1 {
                // Past the end ("Invalid page."): the last page was exactly full.
                advancePass()
                continue
            }
            if state.page == 1 { state.serverCount += page.count }
            let recent = Set(state.recentIDs.joined())
            var out: [Memory] = []
            out.reserveCapacity(page.results.count)
            for memory in page.results {
                state.read += 1
                if recent.contains(memory.id) {
                    state.duplicates += 1
                } else if pass.belongsEarlier(memory) {
                    state.skipped += 1
                } else {
                    out.append(memory)
                }
            }
            state.recentIDs.append(page.results.map(\.id))
            if state.recentIDs.count > Self.window { state.recentIDs.removeFirst(state.recentIDs.count - Self.window) }
            if page.results.count < pageSize {
                advancePass()
            } else {
                state.page += 1
            }
            return (pass, out)
        }
        return nil
    }

    private mutating func advancePass() {
        state.pass += 1
        state.page = 1
        state.recentIDs = []
    }
}
