import Reading

/// Where an export stands, as the ledger keeps it after every page: the plan, the pass and next
/// page, the ids of the last pages (to drop memories that shifted into the next page) or, for a
/// self-hosted store, the store's own key after the last page, the offset of the file being
/// written and the files finished.
public struct ExportCheckpoint: Sendable, Hashable, Codable {
    /// The passes, fixed when the export starts so a resumed run pages the same entities.
    public var passes: [ExportPass]
    /// The entities listed when the export started (for manifests).
    public var entities: [String]
    /// The pass in progress (`passes.count` when done).
    public var pass = 0
    /// The next page of that pass, 1-based.
    public var page = 1
    /// The ids of the last `ExportPager.window` pages of the pass.
    public var recentIDs: [[String]] = []
    /// The file being written, relative to the output directory (nil before the first).
    public var file: String?
    /// Bytes of that file's partial copy at this checkpoint.
    public var fileOffset: Int64 = 0
    /// Memories in that file at this checkpoint.
    public var fileCount = 0
    /// Files completed, with their counts.
    public var files: [ExportedFile] = []
    /// Memories written.
    public var written = 0
    /// Memories read but left to the pass of another entity that writes them.
    public var skipped = 0
    /// Memories read twice because writes shifted a page.
    public var duplicates = 0
    /// The sum of the `count`s the server reported for each pass on its first page.
    public var serverCount = 0
    /// Memories read in all (written, skipped, or duplicates).
    public var read = 0
    /// The memories the source said it holds when the export started (the count of a listing
    /// of every memory with a user, agent, app or run id); nil with `--filters`, or when the
    /// source cannot say.
    public var serverTotal: Int?
    /// Of ``serverTotal``, the records Mem0's Dream merged into others, which default reads
    /// hide and the export includes (`include_merged`): the source's count with merged records
    /// minus its count without; nil when there are none or the source cannot say.
    public var mergedTotal: Int?
    /// A self-hosted store's export only: where the store's reader stands after the last page
    /// written (`StorePager`); nil for a target.
    public var storePosition: StorePosition?
    /// A store's export only: the points read that are no memories (no `data`, a payload that
    /// is not a JSON object), which are not written.
    public var notMemories: Int?
    /// The first of those points, each with its store, collection, point id and reason.
    public var namedNotMemories: [String]?

    /// Creates a checkpoint at the start of a plan.
    public init(passes: [ExportPass], entities: [String]) {
        self.passes = passes
        self.entities = entities
    }

    enum CodingKeys: String, CodingKey {
        case passes, entities, pass, page, file, files, written, skipped, duplicates, read
        case recentIDs = "recent_ids"
        case fileOffset = "file_offset"
        case fileCount = "file_count"
        case serverCount = "server_count"
        case serverTotal = "server_total"
        case mergedTotal = "merged_total"
        case storePosition = "store_position"
        case notMemories = "not_memories"
        case namedNotMemories = "named_not_memories"
    }
}

/// One file an export finished.
public struct ExportedFile: Sendable, Hashable, Codable {
    /// The name, relative to the output directory.
    public var name: String
    /// Memories in it.
    public var count: Int

    /// Creates an entry.
    public init(name: String, count: Int) {
        self.name = name
        self.count = count
    }
}
