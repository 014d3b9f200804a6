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

    /// The bytes every key of one source starts with (the version, the adapter, the source's
    /// identity), computed once per source.
    public struct Prefix: Sendable {
        let bytes: [UInt8]
    }

    /// The prefix of every key of one source.
    public static func prefix(adapter: String, source: String) -> Prefix {
        Prefix(bytes: Array((version + separator + adapter + separator + source + separator).utf8))
    }

    /// The key from a source's prefix.
    public static func make(prefix: Prefix, locator: RecordLocator, scope: Scope?, content: String = "") -> String {
        var reserve = prefix.bytes.count + 160 + locator.keyTextEstimate + content.utf8.count
        if let scope { reserve += Self.textBytes(of: scope) }
        return withUnsafeTemporaryAllocation(byteCount: reserve, alignment: 1) { scratch in
            var text = KeyBytes(scratch: scratch, prefix: prefix.bytes)
            place(locator: locator, scope: scope, into: &text)
            text.update(content)
            return text.hexDigest()
        }
    }

    /// The key of an add from a source's prefix: the same bytes as
    /// `make(prefix:locator:scope:content: content(of: messages, timestamp:))`, gathered into one
    /// buffer and hashed in one pass, without building the content's text.
    public static func make(
        prefix: Prefix, locator: RecordLocator, scope: Scope?, messages: [Message], timestamp: Int64?
    ) -> String {
        // Room for the whole text up front: the place, the scope, and each message's role and text.
        // The messages are read by index: a `for m in messages` loop copies each (retains its strings).
        var reserve = prefix.bytes.count + 160 + locator.keyTextEstimate
        if let scope { reserve += Self.textBytes(of: scope) }
        for i in messages.indices {
            reserve += 2 + messages[i].role.rawValue.utf8.count + (messages[i].content.text?.utf8.count ?? 0)
        }
        return withUnsafeTemporaryAllocation(byteCount: reserve, alignment: 1) { scratch in
            var text = KeyBytes(scratch: scratch, prefix: prefix.bytes)
            place(locator: locator, scope: scope, into: &text)
            add(messages: messages, timestamp: timestamp, into: &text)
            return text.hexDigest()
        }
    }

    /// Writes an add's content: the timestamp, then each message's role and text.
    private static func add(messages: [Message], timestamp: Int64?, into text: inout KeyBytes) {
        if let timestamp {
            text.update("t=")
            text.update(decimal: timestamp)
        } else {
            text.update("t=-")
        }
        for i in messages.indices {
            text.update(byte: 0x1F)
            text.update(messages[i].role.rawValue)
            text.update(byte: 0x1D)
            if case .text(let content) = messages[i].content {
                text.update(content)
            } else if let content = messages[i].content.text {
                text.update(content)
            }
        }
    }

    /// The bytes of a scope's ids, to size a key's text.
    private static func textBytes(of scope: Scope) -> Int {
        (scope.userID?.utf8.count ?? 0) + (scope.agentID?.utf8.count ?? 0) + (scope.appID?.utf8.count ?? 0)
            + (scope.runID?.utf8.count ?? 0)
    }

    /// Writes the locator's key text and the scope, each followed by the separator.
    private static func place(locator: RecordLocator, scope: Scope?, into hasher: inout some KeyTextSink) {
        locator.hashKeyText(into: &hasher)
        hasher.update(separator)
        if let s = scope {
            hasher.update("user=")
            hasher.update(s.userID ?? "")
            hasher.update(",agent=")
            hasher.update(s.agentID ?? "")
            hasher.update(",app=")
            hasher.update(s.appID ?? "")
            hasher.update(",run=")
            hasher.update(s.runID ?? "")
        } else {
            hasher.update("-")
        }
        hasher.update(separator)
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
