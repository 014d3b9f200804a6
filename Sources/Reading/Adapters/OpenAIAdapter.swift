import Foundation
import MemoryAPI

/// OpenAI chat messages, one `{"messages": [{role, content, name?}]}` per record.
///
/// `user` and `assistant` turns are kept; `system` and `developer` turns, `tool` and
/// `function` turns, and assistant turns that only call tools (`tool_calls` with null content)
/// are skipped by rule. Text parts are joined; image, audio, video and file parts are counted as
/// skipped parts; an unknown part type is a reject naming it. A record may carry its own
/// `user_id`, `agent_id`, `app_id`, `run_id` and `metadata`.
public struct OpenAIAdapter: RecordAdapter {
    private let builder: UnitBuilder
    private let decoding = RecordDecoding()

    /// Creates the adapter.
    public init(builder: UnitBuilder) { self.builder = builder }

    /// Maps one record into one or more adds.
    public mutating func map(_ record: SourceRecord, into output: inout [AdapterOutput]) {
        mapRecord(record, into: &output)
    }

    /// Not `mutating`, so the closure borrows the adapter instead of copying it (its builder and
    /// options) for every record.
    private func mapRecord(_ record: SourceRecord, into output: inout [AdapterOutput]) {
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
        turns.reserveCapacity(messages.elementCount)
        for (i, turn) in messages.eachElement.enumerated() {
            // The JSON path names a bad value in errors only: built when one is thrown.
            var path: String { "messages[\(i)]" }
            guard turn.kind == .object else { throw JSONNode.wrongType(path, "an object", turn) }
            let fields = TurnFields(turn)
            guard let role = try JSONNode.string(fields.role, path: path + ".role") else {
                throw ReadingError(.wrongType, "the required field 'role' is missing", path: path + ".role")
            }
            let id = try JSONNode.id(fields.id, path: path + ".id") ?? Self.positionID(i)
            switch role {
            case "user", "assistant":
                break
            case "system", "developer":
                output.append(.skipped(reason: SkipReason.systemTurn, count: 1))
                continue
            case "tool", "function":
                output.append(.skipped(reason: SkipReason.toolTurn, count: 1))
                continue
            default:
                output.append(
                    .reject(
                        ImportReject(
                            reason: .unknownRole, message: "unknown role '\(role)'",
                            locator: locator.with(conversation: conversation, messages: [id]), path: path + ".role")))
                continue
            }
            var content = MessageContent()
            let unknown = try Self.content(fields.content, path: { path + ".content" }, into: &content)
            if let refusal = fields.refusal?.string { content.append(text: refusal) }
            // Tool calls the assistant made (`tool_calls`, the older `function_call`) are not text.
            let calls = fields.toolCalls?.elementCount ?? 0
            content.drop(SkipReason.toolPart, count: calls + (fields.functionCall == nil ? 0 : 1))
            guard unknown.isEmpty else {
                output.append(
                    .reject(
                        ImportReject(
                            reason: .unknownContentType,
                            message: "unknown content part type \(unknown.map { "'\($0)'" }.joined(separator: ", "))",
                            locator: locator.with(conversation: conversation, messages: [id]), path: path + ".content"))
                )
                continue
            }
            guard let text = content.emit(into: &output) else { continue }
            let name = try JSONNode.string(fields.name, path: path + ".name")
            turns.append(
                ConversationTurn(message: Message(role: MessageRole(rawValue: role), text: text, name: name), id: id))
        }
        builder.adds(turns: turns, scope: own.scope, metadata: own.metadata ?? [:], locator: locator, into: &output)
    }

    /// The id of a message that has none: `m` and its position.
    static func positionID(_ i: Int) -> String {
        i < positionIDs.count ? positionIDs[i] : "m" + String(i)
    }

    /// `m0` to `m63`, made once.
    private static let positionIDs = (0..<64).map { "m" + String($0) }

    /// Sorts a content value (a string, a list of parts, or one part) into `content`: text parts
    /// are text, image, audio, video and file parts are counted; returns the unknown part types.
    static func content(_ node: JSONNode?, path: () -> String, into content: inout MessageContent)
        throws(ReadingError)
        -> [String]
    {
        guard let node else { return [] }
        switch node.kind {
        case .string:
            content.append(text: node.string ?? "")
            return []
        case .array, .object:
            var unknown: [String] = []
            let parts = node.kind == .array ? node.elements : [node]
            for (i, part) in parts.enumerated() {
                guard part.kind == .object else { throw JSONNode.wrongType("\(path())[\(i)]", "an object", part) }
                let type = part["type"]?.string
                switch type {
                case nil, "text", "input_text", "output_text":
                    if let text = part["text"]?.string {
                        content.append(text: text)
                    } else {
                        unknown.append(type ?? "untyped")
                    }
                case "refusal":
                    content.append(text: part["refusal"]?.string ?? "")
                default:
                    if let reason = MessageContent.mediaReason(type ?? "") {
                        content.drop(reason)
                    } else {
                        unknown.append(type ?? "untyped")
                    }
                }
            }
            return unknown
        default:
            throw JSONNode.wrongType(path(), "a string or a list of parts", node)
        }
    }

    /// The members of a message object the adapter reads, found in one pass over its keys; each
    /// is what `field(_:)` gives (the first member of that name, `nil` when absent or `null`).
    private struct TurnFields {
        private let slots: MemberSlots

        init(_ turn: JSONNode) {
            slots = MemberSlots(turn, names: Self.names)
        }

        /// The members read, in slot order.
        static let names: [StaticString] = [
            "role", "content", "id", "name", "refusal", "tool_calls", "function_call",
        ]

        var role: JSONNode? { slots[0] }
        var content: JSONNode? { slots[1] }
        var id: JSONNode? { slots[2] }
        var name: JSONNode? { slots[3] }
        var refusal: JSONNode? { slots[4] }
        var toolCalls: JSONNode? { slots[5] }
        var functionCall: JSONNode? { slots[6] }
    }
}
