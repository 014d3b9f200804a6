import Foundation
import MemoryAPI

/// Claude data export (`conversations.json`): `{uuid, name, created_at, chat_messages: [...]}`
/// per record.
///
/// `human` maps to user and `assistant` to assistant. A message's text is its `text`, or its
/// text parts joined (tool use and tool results are skipped); attachment text is appended only
/// with `includeAttachments`.
public struct ClaudeAdapter: RecordAdapter {
    struct Conversation: Decodable {
        var uuid: String?
        var name: String?
        var createdAt: String?
        var chatMessages: [ChatMessage]

        enum CodingKeys: String, CodingKey {
            case uuid, name
            case createdAt = "created_at"
            case chatMessages = "chat_messages"
        }
    }

    struct ChatMessage: Decodable {
        var uuid: String?
        var text: String?
        var content: [Part]?
        var sender: String
        var createdAt: String?
        var attachments: [Attachment]?

        enum CodingKeys: String, CodingKey {
            case uuid, text, content, sender, attachments
            case createdAt = "created_at"
        }
    }

    struct Part: Decodable {
        var type: String
        var text: String?
    }

    struct Attachment: Decodable {
        var fileName: String?
        var extractedContent: String?

        enum CodingKeys: String, CodingKey {
            case fileName = "file_name"
            case extractedContent = "extracted_content"
        }
    }

    private let builder: UnitBuilder
    private let decoding = RecordDecoding()

    /// Creates the adapter.
    public init(builder: UnitBuilder) { self.builder = builder }

    /// Maps one conversation into one or more adds.
    public mutating func map(_ record: SourceRecord, into output: inout [AdapterOutput]) {
        guard case .json(let data) = record.body else { return }
        let conversation: Conversation
        do {
            conversation = try decoding.decode(Conversation.self, from: data, at: record.locator)
        } catch {
            output.append(.reject(ImportReject(error, at: record.locator, raw: record.rawBytes)))
            return
        }
        var locator = record.locator
        locator.conversationID = conversation.uuid
        var metadata: [String: JSONValue] = [:]
        if let uuid = conversation.uuid { metadata["claude_conversation_id"] = .string(uuid) }
        if let name = conversation.name, !name.isEmpty { metadata["claude_title"] = .string(name) }
        var turns: [ConversationTurn] = []
        for (i, message) in conversation.chatMessages.enumerated() {
            let id = message.uuid ?? "#\(i)"
            let role: MessageRole
            switch message.sender {
            case "human", "user": role = .user
            case "assistant": role = .assistant
            default:
                output.append(
                    .reject(
                        ImportReject(
                            reason: .unknownRole, message: "unknown sender '\(message.sender)'",
                            locator: locator.with(conversation: conversation.uuid, messages: [id]),
                            path: "chat_messages[\(i)].sender")))
                continue
            }
            var text = message.text ?? ""
            if text.isEmpty {
                let parts = message.content ?? []
                text = parts.filter { $0.type == "text" }.compactMap(\.text).joined(separator: "\n")
                let tools = parts.filter { $0.type == "tool_use" || $0.type == "tool_result" }.count
                if tools > 0 { output.append(.skipped(reason: "tool_part", count: tools)) }
            }
            if builder.options.includeAttachments {
                for attachment in message.attachments ?? [] {
                    guard let extracted = attachment.extractedContent, !extracted.isEmpty else { continue }
                    text += (text.isEmpty ? "" : "\n\n") + "[\(attachment.fileName ?? "attachment")]\n" + extracted
                }
            }
            guard !text.isEmpty else {
                output.append(.skipped(reason: "empty_message", count: 1))
                continue
            }
            turns.append(
                ConversationTurn(
                    message: Message(role: role, text: text), id: id,
                    timestamp: message.createdAt.flatMap(Self.seconds)))
        }
        builder.adds(
            turns: turns, metadata: metadata, timestamp: conversation.createdAt.flatMap(Self.seconds), locator: locator,
            into: &output)
    }

    static func seconds(_ text: String) -> Int64? {
        // A time outside the years 0001 to 9999 is dropped rather than sent to be refused.
        MemoryTimestamp.parse(text).flatMap(MemoryTimestamp.wholeSeconds)
    }
}
