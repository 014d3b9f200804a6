import MemoryAPI
import Reading

/// Pages a self-hosted Mem0 store (`chroma:PATH`, `mem0-ts:PATH`, `postgres://…`) for an export,
/// in the store's own stable key order, the way `ExportPager` pages a target.
///
/// Each point becomes a memory through the same mapping `verify` and `import` use
/// (`StoreSources.memory(of:spec:)`: `OSSPayload`), so the export of a store holds what an import
/// of it would send. The store is read one page ahead on a serial queue of its own
/// (`StorePages`), and every page handed out moves `state.storePosition` past it: the checkpoint
/// records the store's own key (Chroma's segment row id, the TypeScript store's id, the pgvector
/// id), and a pager made from a saved checkpoint reopens the store after it. No listing can
/// shift under it, so nothing is read twice or skipped, however the export was stopped.
///
/// A store has no entity list: the export is one pass over every point. A v2 filter
/// (`--filters`) is evaluated on each memory with memport's filter semantics
/// (`MemoryFilter.matches`); a filter on what a store's memories never carry (`app_id`,
/// `categories`) and `--split-by` are refused (``check(filter:splitBy:)``), never ignored. A
/// point that is no memory (a payload without `data`, not a JSON object) is not written; it is
/// counted in `state.notMemories`, and the first ones are named in the summary.
public struct StorePager: ExportPageSource {
    /// The store.
    public let spec: StoreSpec
    /// The user's filter; nil writes every memory.
    public let filter: MemoryFilter?
    /// Points per page.
    public let pageSize: Int
    /// Read the next page while the current one is written.
    public let readsAhead: Bool
    /// Where the export stands.
    public var state: ExportCheckpoint
    private let pages: StorePages
    private var ahead: Task<StorePages.Page?, any Error>?

    /// How many of the points that are no memories the checkpoint names.
    public static let namedNotMemories = 10

    /// Creates a pager at a checkpoint (its `storePosition`, the start of the store when none).
    ///
    /// - Parameters:
    ///   - pageSize: points per page, at least 1.
    ///   - readsAhead: read one page ahead while the current one is written.
    public init(
        spec: StoreSpec, filter: MemoryFilter?, pageSize: Int = 200, readsAhead: Bool = true, state: ExportCheckpoint
    ) {
        self.spec = spec
        self.filter = filter
        self.pageSize = max(pageSize, 1)
        self.readsAhead = readsAhead
        self.state = state
        pages = StorePages(spec, batchSize: self.pageSize, from: state.storePosition ?? .start)
    }

    /// The plan of a store's export: one pass, writing `single`, from the start of the store.
    ///
    /// - Throws: `PipelineError` `.usage` for what cannot apply to a store (``check(filter:splitBy:)``).
    public static func start(
        spec: StoreSpec, filters: MemoryFilter?, splitBy: EntityType? = nil, single: String = ""
    ) throws -> ExportCheckpoint {
        try check(filter: filters, splitBy: splitBy)
        let pass = ExportPass(
            label: "store \(spec.description)", filter: filters ?? ExportPager.everyMemory, file: single)
        var state = ExportCheckpoint(passes: [pass], entities: [])
        state.storePosition = .start
        state.notMemories = 0
        return state
    }

    /// Refuses what an export of a store cannot do, rather than ignoring it: `--split-by` (a
    /// store has no entity list to plan files from), and filters on `app_id` or `categories`
    /// (mem0's OSS payloads carry neither, so such a filter would silently select nothing).
    ///
    /// - Throws: `PipelineError` `.usage` naming the flag or the filter field.
    public static func check(filter: MemoryFilter?, splitBy: EntityType?) throws {
        if let splitBy {
            throw PipelineError(
                .usage,
                "--split-by \(splitBy.idField) needs a target's entity list; a self-hosted store is exported to one "
                    + "file (select an entity with --filters '{\"\(splitBy.idField)\": \"ID\"}', or import the store "
                    + "into embedded:PATH and export that with --split-by)")
        }
        if let filter, let field = unsupportedField(in: filter) {
            throw PipelineError(
                .usage,
                "--filters uses \(field), which a self-hosted Mem0 store's memories never carry (their scope is "
                    + "user_id, agent_id and run_id, with no categories); remove it from the filter")
        }
    }

    static func unsupportedField(in filter: MemoryFilter) -> String? {
        switch filter {
        case .and(let parts), .or(let parts): return parts.lazy.compactMap(unsupportedField).first
        case .not(let inner): return unsupportedField(in: inner)
        case .condition(let condition):
            switch condition.field {
            case .entity(.app), .categories: return condition.field.name
            default: return nil
            }
        }
    }

    /// The next page's memories to write, nil when the store is read to its end.
    ///
    /// - Throws: `PipelineError` when the store cannot be opened or read further.
    public mutating func next() async throws -> (pass: ExportPass, memories: [Memory])? {
        guard state.pass < state.passes.count else { return nil }
        let pass = state.passes[state.pass]
        let task = ahead ?? read()
        ahead = nil
        guard let page = try await task.value else {
            state.pass = state.passes.count
            state.storePosition?.ended = true
            cancel()
            return nil
        }
        var out: [Memory] = []
        out.reserveCapacity(page.memories.count)
        for result in page.memories {
            switch result {
            case .success(let memory):
                guard filter?.matches(memory) ?? true else { continue }
                out.append(memory)
            case .failure(let error):
                state.notMemories = (state.notMemories ?? 0) + 1
                var named = state.namedNotMemories ?? []
                if named.count < Self.namedNotMemories {
                    named.append(error.description)
                    state.namedNotMemories = named
                }
            }
        }
        // A store has no listing count: what its pages held is what it counted.
        state.read += out.count
        state.serverCount += out.count
        state.page += 1
        state.storePosition = page.position
        if readsAhead && !page.position.ended { ahead = read() }
        return (pass, out)
    }

    /// Stops reading ahead and closes the store (after a read still running).
    public mutating func cancel() {
        ahead?.cancel()
        ahead = nil
        pages.close()
    }

    private func read() -> Task<StorePages.Page?, any Error> {
        let pages = pages
        return Task { try await pages.nextPage() }
    }
}
