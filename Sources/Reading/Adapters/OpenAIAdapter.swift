import Foundation
import MemoryAPI

/// OpenAI chat messages, one `{"messages": [{role, content, name?}]}` per record.
///
/// `user` and `assistant` turns are kept; `system`, `developer` and tool turns are skipped
/// with a reason. Text parts are joined; a non-text part is a reject that names its type while
/// the message's text still imports. A record may carry its own `user_id`, `agent_id`,
/// `app_id`, `run_id` and `metadata`.
public struct OpenAIAdapter: RecordAdapter {
    private let builder: UnitBuilder
    private let decoding = RecordDecoding()

    /// Creates the adapter.
    public init(builder: UnitBuilder) { self.builder = builder }

    /// Maps one record into one or more adds.
    public mutating func map(_ record: SourceRecord, into output: inout [AdapterOutput]) {
        decoding.mapObject(record, into: &output) { root, out throws(ReadingError) in
            try map(root, record: record, into: &out)
        }
    }

    private func map(_ root: JSONNode, record: SourceRecord, into output: inout [AdapterOutput])
        throws(ReadingError)
    {
        let conversation = try root.id("id", path: "id")
        let messages = try root.required("messages", .array, path: "messages")
        let own = try RecordScope(node: root)
        var locator = record.locator
        locator.conversationID = conversation
        var turns: [ConversationTurn] = []
        for (i, turn) in messages.elements.enumerated() {
            let path = "messages[\(i)]"
            guard turn.kind == .object else { throw JSONNode.wrongType(path, "an object", turn) }
            guard let role = try turn.string("role", path: path + ".role") else {
                throw ReadingError(.wrongType, "the required field 'role' is missing", path: path + ".role")
            }
            let id = try turn.id("id", path: path + ".id") ?? "m\(i)"
            switch role {
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
                            reason: .unknownRole, message: "unknown role '\(role)'",
                            locator: locator.with(conversation: conversation, messages: [id]), path: path + ".role")))
                continue
            }
            let (text, other) = try Self.content(turn.field("content"), path: path + ".content")
            if !other.isEmpty {
                output.append(
                    .reject(
                        ImportReject(
                            reason: .nonTextContent,
                            message: "non-text content parts cannot be stored: \(other.joined(separator: ", "))",
                            locator: locator.with(conversation: conversation, messages: [id]), path: path + ".content"))
                )
            }
            guard !text.isEmpty else {
                output.append(.skipped(reason: "empty_message", count: 1))
                continue
            }
            let name = try turn.string("name", path: path + ".name")
            turns.append(
                ConversationTurn(message: Message(role: MessageRole(rawValue: role), text: text, name: name), id: id))
        }
        builder.adds(turns: turns, scope: own.scope, metadata: own.metadata ?? [:], locator: locator, into: &output)
    }

    /// The text of a content value (a string, a list of parts, or one part) and the types of
    /// its non-text parts.
    static func content(_ node: JSONNode?, path: String) throws(ReadingError) -> (text: String, other: [String]) {
        guard let node else { return ("", []) }
        switch node.kind {
        case .string: return (node.string ?? "", [])
        case .array, .object:
            var texts: [String] = []
            var other: [String] = []
            let parts = node.kind == .array ? node.elements : [node]
            for (i, part) in parts.enumerated() {
                guard part.kind == .object else { throw JSONNode.wrongType("\(path)[\(i)]", "an object", part) }
                let type = part["type"]?.string
                if type == nil || type == "text" || type == "input_text" || type == "output_text",
                    let text = part["text"]?.string
                {
                    texts.append(text)
                } else {
                    other.append(type ?? "untyped")
                }
            }
            return (texts.joined(separator: "\n"), other)
        default:
            throw JSONNode.wrongType(path, "a string or a list of parts", node)
        }
    }
}
