import Foundation
import MemoryAPI

/// OpenAI chat messages, one `{"messages": [{role, content, name?}]}` per record.
///
/// `user` and `assistant` turns are kept; `system`, `developer` and tool turns are skipped
/// with a reason. Text parts are joined; a non-text part is a reject that names its type while
/// the message's text still imports.
public struct OpenAIAdapter: RecordAdapter {
    struct Record: Decodable {
        var id: FlexibleID?
        var messages: [Turn]
        var own: RecordScope

        enum CodingKeys: String, CodingKey { case id, messages }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decodeIfPresent(FlexibleID.self, forKey: .id)
            messages = try c.decode([Turn].self, forKey: .messages)
            own = try RecordScope(from: decoder)
        }
    }

    struct Turn: Decodable {
        var role: String
        var content: MessageContent?
        var name: String?
        var id: String?
    }

    private let builder: UnitBuilder
    private let decoding = RecordDecoding()

    /// Creates the adapter.
    public init(builder: UnitBuilder) { self.builder = builder }

    /// Maps one record into one or more adds.
    public mutating func map(_ record: SourceRecord, into output: inout [AdapterOutput]) {
        guard case .json(let data) = record.body else { return }
        let decoded: Record
        do {
            decoded = try decoding.decode(Record.self, from: data, at: record.locator)
        } catch {
            output.append(.reject(ImportReject(error, at: record.locator, raw: record.rawBytes)))
            return
        }
        let conversation = decoded.id?.text
        var locator = record.locator
        locator.conversationID = conversation
        var turns: [ConversationTurn] = []
        for (i, turn) in decoded.messages.enumerated() {
            let id = turn.id ?? "m\(i)"
            switch turn.role {
            case "user", "assistant":
                break
            case "system", "developer":
                output.append(.skipped(reason: "system_turn", count: 1))
                continue
            case "tool", "function":
                output.append(.skipped(reason: "tool_turn", count: 1))
                continue
            default:
                output.append(
                    .reject(
                        ImportReject(
                            reason: .unknownRole, message: "unknown role '\(turn.role)'",
                            locator: locator.with(conversation: conversation, messages: [id]),
                            path: "messages[\(i)].role")))
                continue
            }
            let content = turn.content ?? .text("")
            let other = content.nonTextParts
            if !other.isEmpty {
                let types = other.map { $0.type ?? "untyped" }.joined(separator: ", ")
                output.append(
                    .reject(
                        ImportReject(
                            reason: .nonTextContent, message: "non-text content parts cannot be stored: \(types)",
                            locator: locator.with(conversation: conversation, messages: [id]),
                            path: "messages[\(i)].content")))
            }
            guard let text = content.text, !text.isEmpty else {
                output.append(.skipped(reason: "empty_message", count: 1))
                continue
            }
            turns.append(
                ConversationTurn(
                    message: Message(role: MessageRole(rawValue: turn.role), text: text, name: turn.name), id: id))
        }
        builder.adds(
            turns: turns, scope: decoded.own.scope, metadata: decoded.own.metadata ?? [:], locator: locator,
            into: &output)
    }
}
