import MemoryAPI

/// One unit of import work: one add call or one batch-update item, with the stable import key,
/// the locator of the record it came from and the fingerprint of its source.
///
/// The import key is already written into the add's metadata as `memport_import_key`.
///
/// A unit is a value, but its fields live in one immutable shared box: it moves through the
/// reader's, the engine's and the summary's queues as one reference (an add with its locator
/// and fingerprint is over 500 bytes and about twenty references inline), and setting a field
/// makes a new box, so a copy never sees another's change.
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

    /// The fields, never changed after creation (a setter makes a new box).
    private final class Storage: Sendable {
        let payload: Payload
        let importKey: String
        let locator: RecordLocator
        let source: SourceFingerprint
        let adapter: String
        let scopeOrigin: String?
        /// The messages an add carries (1 for a batch item), read from the payload once.
        let messageCount: Int
        /// An add's scope, read from the payload once.
        let scope: Scope?

        init(
            payload: Payload, importKey: String, locator: RecordLocator, source: SourceFingerprint, adapter: String,
            scopeOrigin: String?
        ) {
            self.payload = payload
            self.importKey = importKey
            self.locator = locator
            self.source = source
            self.adapter = adapter
            self.scopeOrigin = scopeOrigin
            switch payload {
            case .add(let request):
                messageCount = request.messages.count
                scope = request.scope
            case .batchUpdate:
                messageCount = 1
                scope = nil
            }
        }
    }

    private var storage: Storage

    /// The call or item.
    public var payload: Payload {
        get { storage.payload }
        set { rebuild(payload: newValue) }
    }
    /// The stable hash of adapter, source, locator and scope (DESIGN invariant 2).
    public var importKey: String {
        get { storage.importKey }
        set { rebuild(importKey: newValue) }
    }
    /// Where the unit's record is.
    public var locator: RecordLocator {
        get { storage.locator }
        set { rebuild(locator: newValue) }
    }
    /// The source's fingerprint, for the job ledger.
    public var source: SourceFingerprint {
        get { storage.source }
        set { rebuild(source: newValue) }
    }
    /// The adapter that made the unit (`openai`, `chatgpt`, ...).
    public var adapter: String {
        get { storage.adapter }
        set { rebuild(adapter: newValue) }
    }
    /// Where the scope came from when neither the record nor the flags gave one (a Claude
    /// export's account); `nil` otherwise.
    public var scopeOrigin: String? {
        get { storage.scopeOrigin }
        set { rebuild(scopeOrigin: .some(newValue)) }
    }

    /// Creates a unit.
    public init(
        payload: Payload, importKey: String, locator: RecordLocator, source: SourceFingerprint, adapter: String,
        scopeOrigin: String? = nil
    ) {
        storage = Storage(
            payload: payload, importKey: importKey, locator: locator, source: source, adapter: adapter,
            scopeOrigin: scopeOrigin)
    }

    /// Replaces the box with one that differs in the fields given.
    private mutating func rebuild(
        payload: Payload? = nil, importKey: String? = nil, locator: RecordLocator? = nil,
        source: SourceFingerprint? = nil, adapter: String? = nil, scopeOrigin: String?? = nil
    ) {
        let old = storage
        storage = Storage(
            payload: payload ?? old.payload, importKey: importKey ?? old.importKey, locator: locator ?? old.locator,
            source: source ?? old.source, adapter: adapter ?? old.adapter, scopeOrigin: scopeOrigin ?? old.scopeOrigin)
    }

    /// The number of messages the unit carries (1 for a batch item).
    public var messageCount: Int { storage.messageCount }

    /// The scope of an add; `nil` for a batch item, which is addressed by memory id.
    public var scope: Scope? { storage.scope }

    /// Equal when every field is equal.
    public static func == (a: ImportUnit, b: ImportUnit) -> Bool {
        if a.storage === b.storage { return true }
        return a.importKey == b.importKey && a.payload == b.payload && a.locator == b.locator
            && a.source == b.source && a.adapter == b.adapter && a.scopeOrigin == b.scopeOrigin
    }

    /// Hashes every field, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(payload)
        hasher.combine(importKey)
        hasher.combine(locator)
        hasher.combine(source)
        hasher.combine(adapter)
        hasher.combine(scopeOrigin)
    }
}
