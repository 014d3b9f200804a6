import Foundation
import MemoryAPI

/// ChatGPT data export (`conversations.json`): one conversation per record, a `mapping` tree of
/// nodes linked by `parent` and `children`, and the active leaf in `current_node`.
///
/// By default the active branch is imported: `parent` links walked from `current_node` to the
/// root. With `allBranches`, every branch is imported in depth-first order and each message
/// only once. Null, hidden, zero-weight, system, tool, thoughts and reasoning nodes are skipped
/// with a reason; an unknown content type is a reject naming the type.
public struct ChatGPTAdapter: RecordAdapter {
    struct Conversation: Decodable {
        var id: String?
        var conversationID: String?
        var title: String?
        var createTime: Double?
        var currentNode: String?
        var mapping: [String: Node]

        enum CodingKeys: String, CodingKey {
            case id, title, mapping
            case conversationID = "conversation_id"
            case createTime = "create_time"
            case currentNode = "current_node"
        }
    }

    struct Node: Decodable {
        var parent: String?
        var children: [String]?
        var message: Node.Message?

        struct Message: Decodable {
            var id: String?
            var author: Author
            var createTime: Double?
            var content: Content
            var metadata: Metadata?
            var weight: Double?
            var recipient: String?

            enum CodingKeys: String, CodingKey {
                case id, author, content, metadata, weight, recipient
                case createTime = "create_time"
            }
        }

        struct Author: Decodable {
            var role: String
        }

        struct Content: Decodable {
            var contentType: String
            var parts: [Part]?
            var text: String?

            enum CodingKeys: String, CodingKey {
                case parts, text
                case contentType = "content_type"
            }
        }

        struct Metadata: Decodable {
            var hidden: Bool?

            enum CodingKeys: String, CodingKey { case hidden = "is_visually_hidden_from_conversation" }
        }
    }

    /// A part of `parts`: text, or an object (an image or file pointer) that carries no text.
    enum Part: Decodable {
        case text(String)
        case other(String)

        struct Typed: Decodable {
            var contentType: String?
            enum CodingKeys: String, CodingKey { case contentType = "content_type" }
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) {
                self = .text(s)
            } else if let typed = try? c.decode(Typed.self) {
                self = .other(typed.contentType ?? "object")
            } else {
                self = .other("value")
            }
        }
    }

    /// Content types whose text is a message.
    static let textTypes: Set<String> = ["text", "multimodal_text", "code"]
    /// Content types that are not part of the conversation a user sees.
    static let droppedTypes: [String: String] = [
        "thoughts": "thoughts", "reasoning_recap": "reasoning", "user_editable_context": "user_context",
        "model_editable_context": "model_context", "system_error": "system_error",
        "tether_browsing_display": "tool", "tether_quote": "tool", "execution_output": "tool",
        "computer_output": "tool",
    ]

    private let builder: UnitBuilder
    private let decoding = RecordDecoding()

    /// Creates the adapter.
    public init(builder: UnitBuilder) { self.builder = builder }

    /// Maps one conversation into adds for its active branch, or all of its branches.
    public mutating func map(_ record: SourceRecord, into output: inout [AdapterOutput]) {
        guard case .json(let data) = record.body else { return }
        let conversation: Conversation
        do {
            conversation = try decoding.decode(Conversation.self, from: data, at: record.locator)
        } catch {
            output.append(.reject(ImportReject(error, at: record.locator, raw: record.rawBytes)))
            return
        }
        let conversationID = conversation.id ?? conversation.conversationID
        var locator = record.locator
        locator.conversationID = conversationID
        var metadata: [String: JSONValue] = [:]
        if let conversationID { metadata["chatgpt_conversation_id"] = .string(conversationID) }
        if let title = conversation.title { metadata["chatgpt_title"] = .string(title) }
        let timestamp = conversation.createTime.map { Int64($0.rounded(.down)) }
        let all = branches(conversation)
        for branch in all {
            var turns: [ConversationTurn] = []
            for nodeID in branch {
                if let turn = turn(nodeID, in: conversation, locator: locator, into: &output) { turns.append(turn) }
            }
            if turns.isEmpty, !conversation.mapping.isEmpty {
                output.append(.skipped(reason: "empty_branch", count: 1))
                continue
            }
            var here = locator
            if all.count > 1, let leaf = branch.last {
                here.conversationID = (conversationID ?? "?") + "/" + leaf
            }
            builder.adds(turns: turns, metadata: metadata, timestamp: timestamp, locator: here, into: &output)
        }
    }

    /// The node ids of each branch to import, root first.
    func branches(_ conversation: Conversation) -> [[String]] {
        let mapping = conversation.mapping
        if !builder.options.allBranches {
            var leaf = conversation.currentNode.flatMap { mapping[$0] != nil ? $0 : nil }
            if leaf == nil {
                // No usable current_node: the deepest path along the last children.
                var node = roots(mapping).last
                while let n = node, let next = mapping[n]?.children?.last(where: { mapping[$0] != nil }) {
                    node = next
                }
                leaf = node
            }
            guard let start = leaf else { return [] }
            var path: [String] = []
            var seen: Set<String> = []
            var node: String? = start
            while let n = node, !seen.contains(n), let entry = mapping[n] {
                seen.insert(n)
                path.append(n)
                node = entry.parent
            }
            return [path.reversed()]
        }
        var result: [[String]] = []
        var emitted: Set<String> = []
        for root in roots(mapping) {
            var stack: [(String, [String])] = [(root, [])]
            while let (node, prefix) = stack.popLast() {
                let path = prefix + [node]
                let children = (mapping[node]?.children ?? []).filter { mapping[$0] != nil && !path.contains($0) }
                if children.isEmpty {
                    let fresh = path.filter { !emitted.contains($0) }
                    emitted.formUnion(fresh)
                    if !fresh.isEmpty { result.append(fresh) }
                } else {
                    for child in children.reversed() { stack.append((child, path)) }
                }
            }
        }
        return result
    }

    private func roots(_ mapping: [String: Node]) -> [String] {
        mapping.filter { $0.value.parent.map { mapping[$0] == nil } ?? true }.keys.sorted()
    }

    private func turn(
        _ nodeID: String, in conversation: Conversation, locator: RecordLocator, into output: inout [AdapterOutput]
    ) -> ConversationTurn? {
        guard let message = conversation.mapping[nodeID]?.message else {
            output.append(.skipped(reason: "null_node", count: 1))
            return nil
        }
        let id = message.id ?? nodeID
        if message.metadata?.hidden == true {
            output.append(.skipped(reason: "hidden_node", count: 1))
            return nil
        }
        if message.weight == 0 {
            output.append(.skipped(reason: "zero_weight_node", count: 1))
            return nil
        }
        let role: MessageRole
        switch message.author.role {
        case "user": role = .user
        case "assistant": role = .assistant
        case "system":
            output.append(.skipped(reason: "system_node", count: 1))
            return nil
        case "tool":
            output.append(.skipped(reason: "tool_node", count: 1))
            return nil
        default:
            output.append(
                .reject(
                    ImportReject(
                        reason: .unknownRole, message: "unknown author role '\(message.author.role)'",
                        locator: locator.with(conversation: locator.conversationID, messages: [id]),
                        path: "mapping.\(nodeID).message.author.role")))
            return nil
        }
        let type = message.content.contentType
        if let reason = Self.droppedTypes[type] {
            output.append(.skipped(reason: reason + "_node", count: 1))
            return nil
        }
        guard Self.textTypes.contains(type) else {
            output.append(
                .reject(
                    ImportReject(
                        reason: .unknownContentType, message: "unknown content type '\(type)'",
                        locator: locator.with(conversation: locator.conversationID, messages: [id]),
                        path: "mapping.\(nodeID).message.content.content_type")))
            return nil
        }
        if let recipient = message.recipient, recipient != "all" {
            output.append(.skipped(reason: "tool_node", count: 1))
            return nil
        }
        var texts: [String] = []
        var others: [String] = []
        for part in message.content.parts ?? [] {
            switch part {
            case .text(let s): if !s.isEmpty { texts.append(s) }
            case .other(let kind): others.append(kind)
            }
        }
        if let text = message.content.text, !text.isEmpty { texts.append(text) }
        if !others.isEmpty {
            output.append(
                .reject(
                    ImportReject(
                        reason: .nonTextContent,
                        message: "non-text parts cannot be stored: \(others.joined(separator: ", "))",
                        locator: locator.with(conversation: locator.conversationID, messages: [id]),
                        path: "mapping.\(nodeID).message.content.parts")))
        }
        guard !texts.isEmpty else {
            output.append(.skipped(reason: "empty_message", count: 1))
            return nil
        }
        return ConversationTurn(
            message: Message(role: role, text: texts.joined(separator: "\n")), id: id,
            timestamp: message.createTime.map { Int64($0.rounded(.down)) })
    }
}
