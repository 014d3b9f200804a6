import Foundation
import MemoryAPI

/// ShareGPT: `{"id", "conversations": [{"from", "value"}], "system"?}` per record.
///
/// `human` and `user` map to user, `gpt`, `assistant`, `chatgpt`, `bard` and `bing` to
/// assistant; `system` turns and tool turns (`function_call`, `observation`, `tool`) are skipped
/// with a reason; any other speaker is a reject.
public struct ShareGPTAdapter: RecordAdapter {
    struct Record: Decodable {
        var id: FlexibleID?
        var conversations: [Turn]
        var own: RecordScope

        enum CodingKeys: String, CodingKey { case id, conversations }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decodeIfPresent(FlexibleID.self, forKey: .id)
            conversations = try c.decode([Turn].self, forKey: .conversations)
            own = try RecordScope(from: decoder)
        }
    }

    struct Turn: Decodable {
        var from: String
        var value: String?
    }

    private let builder: UnitBuilder
    private let decoding = RecordDecoding()

    /// Creates the adapter.
    public init(builder: UnitBuilder) { self.builder = builder }

    /// Maps one conversation into one or more adds.
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
        for (i, turn) in decoded.conversations.enumerated() {
            let id = "t\(i)"
            let role: MessageRole
            switch turn.from.lowercased() {
            case "human", "user": role = .user
            case "gpt", "assistant", "chatgpt", "bard", "bing", "model": role = .assistant
            case "system":
                output.append(.skipped(reason: "system_turn", count: 1))
                continue
            case "function_call", "observation", "tool", "function":
                output.append(.skipped(reason: "tool_turn", count: 1))
                continue
            default:
                output.append(
                    .reject(
                        ImportReject(
                            reason: .unknownRole, message: "unknown speaker '\(turn.from)'",
                            locator: locator.with(conversation: conversation, messages: [id]),
                            path: "conversations[\(i)].from")))
                continue
            }
            guard let text = turn.value, !text.isEmpty else {
                output.append(.skipped(reason: "empty_message", count: 1))
                continue
            }
            turns.append(ConversationTurn(message: Message(role: role, text: text), id: id))
        }
        builder.adds(
            turns: turns, scope: decoded.own.scope, metadata: decoded.own.metadata ?? [:], locator: locator,
            into: &output)
    }
}
