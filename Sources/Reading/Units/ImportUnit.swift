import MemoryAPI

/// One unit of import work: one add call or one batch-update item, with the stable import key,
/// the locator of the record it came from and the fingerprint of its source.
///
/// The import key is already written into the add's metadata as `memport_import_key`.
public struct ImportUnit: Sendable, Hashable {
    /// What the unit asks the target to do.
    public enum Payload: Sendable, Hashable {
        /// One add call.
        case add(AddRequest)
        /// One item of a `batch_update` call.
        case batchUpdate(BatchUpdateItem)

        /// The add call, or nil for a batch update item.
        public var addRequest: AddRequest? {
            if case .add(let request) = self { return request }
            return nil
        }
    }

    /// The call or item.
    public var payload: Payload
    /// The stable hash of adapter, source, locator and scope (DESIGN invariant 2).
    public var importKey: String
    /// Where the unit's record is.
    public var locator: RecordLocator
    /// The source's fingerprint, for the job ledger.
    public var source: SourceFingerprint
    /// The adapter that made the unit (`openai`, `chatgpt`, ...).
    public var adapter: String
    /// Where the scope came from when neither the record nor the flags gave one (a Claude
    /// export's account); `nil` otherwise.
    public var scopeOrigin: String?

    /// Creates a unit.
    public init(
        payload: Payload, importKey: String, locator: RecordLocator, source: SourceFingerprint, adapter: String
    ) {
        self.payload = payload
        self.importKey = importKey
        self.locator = locator
        self.source = source
        self.adapter = adapter
    }

    /// The number of messages the unit carries (1 for a batch item).
    public var messageCount: Int {
        switch payload {
        case .add(let request): return request.messages.count
        case .batchUpdate: return 1
        }
    }

    /// The scope of an add; `nil` for a batch item, which is addressed by memory id.
    public var scope: Scope? {
        if case .add(let request) = payload { return request.scope }
        return nil
    }

}
