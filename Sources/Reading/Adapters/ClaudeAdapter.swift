import Foundation
import MemoryAPI

/// Claude data export (`conversations.json`): `{uuid, name, created_at, account: {uuid},
/// chat_messages: [...]}` per record.
///
/// `human` maps to user and `assistant` to assistant. A message is its text: when it has
/// `content` parts, its `text` and `voice_note` parts (the message-level `text`, which current
/// exports fill with the thinking and the answer run together, is read only when there are no
/// parts). `thinking`, `redacted_thinking`, tool blocks (`tool_use`, `tool_result` and any other
/// `*tool*` type), `token_budget`, images and files never become memory text; they are counted as
/// skipped parts, and a message left with no text is a skipped turn. The export's placeholders
/// for blocks it could not render ("This block is not supported on your current device yet.")
/// are taken out. Attachment text is appended only with `includeAttachments`. An unknown part
/// type is a reject naming it. With no scope from the flags, the export's `account.uuid` is the
/// `user_id`.
public struct ClaudeAdapter: RecordAdapter {
    private let builder: UnitBuilder
    private let decoding = RecordDecoding()

    /// How the dry-run summary names a scope taken from the export's account.
    public static let accountOrigin = "user_id from the Claude export's account (no --user-id given)"

    /// Creates the adapter.
    public init(builder: UnitBuilder) { self.builder = builder }

    /// Maps one conversation into one or more adds.
    public mutating func map(_ record: SourceRecord, into output: inout [AdapterOutput]) {
        mapRecord(record, into: &output)
    }

    /// Not `mutating`, so the closure borrows the adapter instead of copying it for every record.
    private func mapRecord(_ record: SourceRecord, into output: inout [AdapterOutput]) {
        decoding.mapObject(record, what: "a conversation object", into: &output) { root, out throws(ReadingError) in
            try map(root, record: record, into: &out)
        }
    }

    private func map(_ root: JSONNode, record: SourceRecord, into output: inout [AdapterOutput])
        throws(ReadingError)
    {
        let uuid = try root.id("uuid", path: "uuid")
        let name = try root.string("name", path: "name")
        let createdAt = try root.string("created_at", path: "created_at")
        var account: String?
        if let node = root.field("account") {
            guard node.kind == .object else { throw JSONNode.wrongType("account", "an object", node) }
            account = try node.id("uuid", path: "account.uuid")
        }
        let list = try root.required("chat_messages", .array, path: "chat_messages")
        var locator = record.locator
        locator.conversationID = uuid
        var metadata: [String: JSONValue] = [:]
        if let uuid { metadata["claude_conversation_id"] = .string(uuid) }
        if let name, !name.isEmpty { metadata["claude_title"] = .string(name) }
        var turns: [ConversationTurn] = []
        for (i, message) in list.elements.enumerated() {
            let path = "chat_messages[\(i)]"
            guard message.kind == .object else { throw JSONNode.wrongType(path, "an object", message) }
            let id = try message.id("uuid", path: path + ".uuid") ?? "#\(i)"
            let here = locator.with(conversation: uuid, messages: [id])
            let sender = try message.string("sender", path: path + ".sender") ?? "(none)"
            let role: MessageRole
            switch sender {
            case "human", "user": role = .user
            case "assistant": role = .assistant
            default:
                output.append(
                    .reject(
                        ImportReject(
                            reason: .unknownRole, message: "unknown sender '\(sender)'", locator: here,
                            path: path + ".sender")))
                continue
            }
            var content = MessageContent()
            var unknown: [String] = []
            if let parts = message.field("content"), parts.kind == .array, !parts.elements.isEmpty {
                for (k, part) in parts.elements.enumerated() {
                    try Self.read(part, path: "\(path).content[\(k)]", into: &content, unknown: &unknown)
                }
            } else if let parts = message.field("content"), parts.kind != .array {
                throw JSONNode.wrongType(path + ".content", "an array", parts)
            } else if let text = try message.string("text", path: path + ".text") {
                Self.appendStripped(text, into: &content)
            }
            try attachments(of: message, path: path, into: &content)
            guard unknown.isEmpty else {
                output.append(
                    .reject(
                        ImportReject(
                            reason: .unknownContentType,
                            message: "unknown content type \(unknown.map { "'\($0)'" }.joined(separator: ", "))",
                            locator: here, path: path + ".content")))
                continue
            }
            guard let text = content.emit(into: &output) else { continue }
            let created = try message.string("created_at", path: path + ".created_at")
            turns.append(
                ConversationTurn(
                    message: Message(role: role, text: text), id: id, timestamp: created.flatMap(Self.seconds)))
        }
        builder.adds(
            turns: turns, fallback: account.map { (Scope(userID: $0), Self.accountOrigin) }, metadata: metadata,
            timestamp: createdAt.flatMap(Self.seconds), locator: locator, into: &output)
    }

    /// Sorts one content part: text and voice notes are text, everything else is counted.
    static func read(_ part: JSONNode, path: String, into content: inout MessageContent, unknown: inout [String])
        throws(ReadingError)
    {
        guard part.kind == .object else {
            if part.isNull { return }
            throw JSONNode.wrongType(path, "an object", part)
        }
        let type = try part.string("type", path: path + ".type") ?? "(untyped)"
        switch type {
        case "text", "voice_note":
            appendStripped(try part.string("text", path: path + ".text") ?? "", into: &content)
        case "thinking", "redacted_thinking":
            content.drop(SkipReason.reasoningPart)
        case "token_budget":
            content.drop(SkipReason.tokenBudgetPart)
        default:
            if type.contains("tool") {
                content.drop(SkipReason.toolPart)
            } else if type.contains("thinking") {
                content.drop(SkipReason.reasoningPart)
            } else if let reason = MessageContent.mediaReason(type) {
                content.drop(reason)
            } else {
                unknown.append(type)
            }
        }
    }

    /// Appends text without the export's placeholders, counting them.
    static func appendStripped(_ text: String, into content: inout MessageContent) {
        let (kept, removed) = ExportPlaceholder.strip(text)
        content.drop(SkipReason.placeholderPart, count: removed)
        content.append(text: kept)
    }

    /// Appends attachment text when asked for; counts attachments otherwise, and uploaded files.
    private func attachments(of message: JSONNode, path: String, into content: inout MessageContent)
        throws(ReadingError)
    {
        if let list = message.field("attachments") {
            guard list.kind == .array else { throw JSONNode.wrongType(path + ".attachments", "an array", list) }
            for (k, attachment) in list.elements.enumerated() where attachment.kind == .object {
                let here = "\(path).attachments[\(k)]"
                let extracted = try attachment.string("extracted_content", path: here + ".extracted_content") ?? ""
                if builder.options.includeAttachments, extracted.contains(where: { !$0.isWhitespace }) {
                    let fileName = try attachment.string("file_name", path: here + ".file_name") ?? "attachment"
                    content.append(text: "[\(fileName)]\n" + extracted)
                } else {
                    content.drop(SkipReason.filePart)
                }
            }
        }
        for key in ["files", "files_v2"] {
            guard let list = message.field(key), list.kind == .array else { continue }
            for file in list.elements where file.kind == .object {
                let kind = file["file_kind"]?.string ?? file["file_name"]?.string ?? ""
                content.drop(Self.isImage(kind) ? SkipReason.imagePart : SkipReason.filePart)
            }
            // `files_v2` repeats `files` in newer exports: count one of them.
            if !list.elements.isEmpty { break }
        }
    }

    static func isImage(_ kind: String) -> Bool {
        let k = kind.lowercased()
        return k == "image" || [".png", ".jpg", ".jpeg", ".gif", ".webp", ".heic"].contains { k.hasSuffix($0) }
    }

    static func seconds(_ text: String) -> Int64? {
        // A time outside the years 0001 to 9999 is dropped rather than sent to be refused.
        MemoryTimestamp.parse(text).flatMap(MemoryTimestamp.wholeSeconds)
    }
}
