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

    /// The key as 64 lowercase hex digits.
    public static func make(adapter: String, source: String, locator: RecordLocator, scope: Scope?) -> String {
        let scopeText = scope.map { s in
            EntityType.allCases.map { "\($0.rawValue)=\(s[$0] ?? "")" }.joined(separator: ",")
        }
        let text = [version, adapter, source, locator.keyText, scopeText ?? "-"].joined(separator: "\u{1E}")
        return SHA256.hex(text)
    }
}
