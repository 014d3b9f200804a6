import MemoryAPI

/// The import key of DESIGN invariant 2: a SHA-256 over the adapter, the source's identity,
/// the record's locator (line or element index, conversation, message ids, part), the scope and
/// the unit's content, so the same input gives the same keys on every run, and a different record
/// at the same place (stdin read twice, a file rewritten) never shares a key with an earlier one.
///
/// ```swift
/// let key = ImportKey.make(adapter: "chatgpt", source: "/data/conversations.json", locator: loc, scope: scope)
/// ```
public enum ImportKey {
    /// The version prefix; changing the key's recipe changes it.
    static let version = "memport-import-v2"
    /// The separator between the hashed fields.
    static let separator = "\u{1E}"

    /// The key as 64 lowercase hex digits.
    public static func make(
        adapter: String, source: String, locator: RecordLocator, scope: Scope?, content: String = ""
    ) -> String {
        make(prefix: prefix(adapter: adapter, source: source), locator: locator, scope: scope, content: content)
    }

    /// The digest state after the fields every key of one source shares, computed once per source.
    public static func prefix(adapter: String, source: String) -> SHA256 {
        var hasher = SHA256()
        hasher.update(version + separator + adapter + separator + source + separator)
        return hasher
    }

    /// The key from a source's prefix state.
    public static func make(prefix: SHA256, locator: RecordLocator, scope: Scope?, content: String = "") -> String {
        var hasher = prefix
        let scopeText = scope.map { s in
            "user=\(s.userID ?? ""),agent=\(s.agentID ?? ""),app=\(s.appID ?? ""),run=\(s.runID ?? "")"
        }
        hasher.update(locator.keyText + separator + (scopeText ?? "-") + separator)
        hasher.update(content)
        return SHA256.hexString(hasher.finalize())
    }

    /// The content an add contributes to its key: each message's role and text, and the timestamp.
    public static func content(of messages: [Message], timestamp: Int64?) -> String {
        var text = timestamp.map { "t=\($0)" } ?? "t=-"
        for m in messages { text += "\u{1F}" + m.role.rawValue + "\u{1D}" + (m.content.text ?? "") }
        return text
    }

    /// The content a batch item contributes to its key: id, text and metadata.
    public static func content(of item: BatchUpdateItem) -> String {
        item.memoryID + "\u{1F}" + (item.text ?? "-") + "\u{1F}"
            + (item.metadata.map { JSONValue.object($0).jsonString() } ?? "-")
    }
}
