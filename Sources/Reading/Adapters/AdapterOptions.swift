import MemoryAPI

/// The choices that shape how records become units, shared by every adapter.
public struct AdapterOptions: Sendable, Hashable {
    /// The scope for records that carry none of their own (`--user-id` and friends).
    public var defaultScope: Scope
    /// The `infer` flag of every add (`false` stores messages verbatim).
    public var infer: Bool
    /// The most messages one add carries; `nil` takes the adapter's default (50, LoCoMo 2).
    public var maxMessagesPerAdd: Int?
    /// The most bytes of message text one add carries.
    public var maxAddBytes: Int
    /// ChatGPT: import every branch, not only the active one.
    public var allBranches: Bool
    /// Claude: append the extracted text of attachments to their message.
    public var includeAttachments: Bool
    /// Mem0 dumps: adds or batch-update items.
    public var mem0Mode: Mem0DumpMode
    /// Generic: the field mapping.
    public var mapping: FieldMapping
    /// A replay of a reject: only this part of the record becomes units.
    public var replaySelection: ReplaySelection?
    /// OpenMemory: import memories whose `state` is not `active` (archived, paused, deleted) too.
    public var includeArchived: Bool = false
    /// OpenMemory: the app's name becomes the memory's `app_id`.
    public var appIDFromApp: Bool = false

    /// Creates options.
    public init(
        defaultScope: Scope = Scope(), infer: Bool = false, maxMessagesPerAdd: Int? = nil,
        maxAddBytes: Int = 256 * 1024, allBranches: Bool = false, includeAttachments: Bool = false,
        mem0Mode: Mem0DumpMode = .add, mapping: FieldMapping = .standard
    ) {
        self.defaultScope = defaultScope
        self.infer = infer
        self.maxMessagesPerAdd = maxMessagesPerAdd
        self.maxAddBytes = maxAddBytes
        self.allBranches = allBranches
        self.includeAttachments = includeAttachments
        self.mem0Mode = mem0Mode
        self.mapping = mapping
    }
}
