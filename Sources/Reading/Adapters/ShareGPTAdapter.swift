import Foundation
import MemoryAPI

/// ShareGPT: `{"id", "conversations": [{"from", "value"}], "system"?}` per record.
///
/// `human` and `user` map to user, `gpt`, `assistant`, `chatgpt`, `bard`, `bing` and `model`
/// to assistant; `system` turns and tool turns (`function_call`, `observation`, `tool`,
/// `function`) are skipped by rule; any other speaker is a reject. Variants that write
/// `{role, content}` instead of `{from, value}` read the same. In LLaVA-style records with
/// `image`/`images`, each `<image>` marker is counted as a skipped image part and taken out of the
/// text. A record may carry its own scope ids and `metadata`.
public struct ShareGPTAdapter: RecordAdapter {
    private let builder: UnitBuilder
    private let decoding = RecordDecoding()

    /// The image marker of LLaVA-style records.
    static let imageToken = "<image>"

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
        // LLaVA-style records name their images beside the turns and mark them `<image>` in the text.
        let images = Self.imageCount(root)
        var turns: [ConversationTurn] = []
        for (i, turn) in list.elements.enumerated() {
            let path = "conversations[\(i)]"
            guard turn.kind == .object else { throw JSONNode.wrongType(path, "an object", turn) }
            // ShareGPT writes {from, value}; some variants write {role, content}.
            let speakerKey = turn["from"] != nil || turn["role"] == nil ? "from" : "role"
            guard let from = try turn.string(speakerKey, path: path + "." + speakerKey) else {
                throw ReadingError(.wrongType, "the required field 'from' is missing", path: path + ".from")
            }
            let id = "t\(i)"
            let role: MessageRole
            switch from.lowercased() {
            case "human", "user": role = .user
            case "gpt", "assistant", "chatgpt", "bard", "bing", "model": role = .assistant
            case "system":
                output.append(.skipped(reason: SkipReason.systemTurn, count: 1))
                continue
            case "function_call", "observation", "tool", "function", "tool_call", "tool_response", "ipython":
                output.append(.skipped(reason: SkipReason.toolTurn, count: 1))
                continue
            default:
                output.append(
                    .reject(
                        ImportReject(
                            reason: .unknownRole, message: "unknown speaker '\(from)'",
                            locator: locator.with(conversation: conversation, messages: [id]),
                            path: path + "." + speakerKey)))
                continue
            }
            let valueKey = turn["value"] != nil || turn["content"] == nil ? "value" : "content"
            var content = MessageContent()
            var text = try turn.string(valueKey, path: path + "." + valueKey) ?? ""
            if images > 0, text.contains(Self.imageToken) {
                content.drop(SkipReason.imagePart, count: text.components(separatedBy: Self.imageToken).count - 1)
                text = text.replacingOccurrences(of: Self.imageToken, with: "")
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            content.append(text: text)
            guard let kept = content.emit(into: &output) else { continue }
            turns.append(ConversationTurn(message: Message(role: role, text: kept), id: id))
        }
        builder.adds(turns: turns, scope: own.scope, metadata: own.metadata ?? [:], locator: locator, into: &output)
    }

    /// How many images a record names (`image` as a string or list, `images` as a list).
    static func imageCount(_ root: JSONNode) -> Int {
        var count = 0
        for key in ["image", "images"] {
            guard let value = root.field(key) else { continue }
            count += value.kind == .array ? value.elements.count : value.kind == .string ? 1 : 0
        }
        return count
    }
}
