import Foundation
import MemoryAPI

/// ShareGPT: `{"id", "conversations": [{"from", "value"}], "system"?}` per record.
///
/// `human` and `user` map to user, `gpt`, `assistant`, `chatgpt`, `bard` and `bing` to
/// assistant; `system` turns and tool turns (`function_call`, `observation`, `tool`) are skipped
/// with a reason; any other speaker is a reject. A record may carry its own scope ids and
/// `metadata`.
public struct ShareGPTAdapter: RecordAdapter {
    private let builder: UnitBuilder
    private let decoding = RecordDecoding()

    /// Creates the adapter.
    public init(builder: UnitBuilder) { self.builder = builder }

    /// Maps one conversation into one or more adds.
    public mutating func map(_ record: SourceRecord, into output: inout [AdapterOutput]) {
        decoding.mapObject(record, into: &output) { root, out throws(ReadingError) in
            try map(root, record: record, into: &out)
        }
    }

    private func map(_ root: JSONNode, record: SourceRecord, into output: inout [AdapterOutput])
        throws(ReadingError)
    {
        let conversation = try root.id("id", path: "id")
        let list = try root.required("conversations", .array, path: "conversations")
        let own = try RecordScope(node: root)
        var locator = record.locator
        locator.conversationID = conversation
        var turns: [ConversationTurn] = []
        for (i, turn) in list.elements.enumerated() {
            let path = "conversations[\(i)]"
            guard turn.kind == .object else { throw JSONNode.wrongType(path, "an object", turn) }
            guard let from = try turn.string("from", path: path + ".from") else {
                throw ReadingError(.wrongType, "the required field 'from' is missing", path: path + ".from")
            }
            let id = "t\(i)"
            let role: MessageRole
            switch from.lowercased() {
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
                            reason: .unknownRole, message: "unknown speaker '\(from)'",
                            locator: locator.with(conversation: conversation, messages: [id]), path: path + ".from")))
                continue
            }
            guard let text = try turn.string("value", path: path + ".value"), !text.isEmpty else {
                output.append(.skipped(reason: "empty_message", count: 1))
                continue
            }
            turns.append(ConversationTurn(message: Message(role: role, text: text), id: id))
        }
        builder.adds(turns: turns, scope: own.scope, metadata: own.metadata ?? [:], locator: locator, into: &output)
    }
}
