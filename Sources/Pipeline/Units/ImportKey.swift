import MemoryAPI

/// The import key of DESIGN invariant 2: a SHA-256 over the adapter, the source's identity,
/// the record's locator (line or element index, conversation, message ids, part) and the scope,
/// so the same input gives the same keys on every run.
///
/// ```swift
/// let key = ImportKey.make(adapter: "chatgpt", source: "/data/conversations.json", locator: loc, scope: scope)
/// ```
public enum ImportKey {
    /// The version prefix; changing the key's recipe changes it.
    static let version = "memport-import-v1"
    /// The separator between the hashed fields.
    static let separator = "\u{1E}"

    /// The key as 64 lowercase hex digits.
    public static func make(adapter: String, source: String, locator: RecordLocator, scope: Scope?) -> String {
        make(prefix: prefix(adapter: adapter, source: source), locator: locator, scope: scope)
    }

    /// The digest state after the fields every key of one source shares, computed once per source.
    public static func prefix(adapter: String, source: String) -> SHA256 {
        var hasher = SHA256()
        hasher.update(version + separator + adapter + separator + source + separator)
        return hasher
    }

    /// The key from a source's prefix state.
    public static func make(prefix: SHA256, locator: RecordLocator, scope: Scope?) -> String {
        var hasher = prefix
        let scopeText = scope.map { s in
            "user=\(s.userID ?? ""),agent=\(s.agentID ?? ""),app=\(s.appID ?? ""),run=\(s.runID ?? "")"
        }
        hasher.update(locator.keyText + separator + (scopeText ?? "-"))
        return SHA256.hexString(hasher.finalize())
    }
}
