import Foundation
import MemoryAPI

/// ChatGPT data export (`conversations.json`): one conversation per record, a `mapping` tree of
/// nodes linked by `parent` and `children`, and the active leaf in `current_node`.
///
/// By default the active branch is imported: `parent` links walked from `current_node` to the
/// root. With `allBranches`, every branch is imported in depth-first order and each message
/// only once. Null, hidden, zero-weight, system, tool, thoughts and reasoning nodes are skipped
/// with a reason; an unknown content type is a reject naming the type. Records are read from a
/// `JSONTape`, so only the nodes on the imported branches are looked at closely.
public struct ChatGPTAdapter: RecordAdapter {
    struct Node {
        var parent: String?
        var children: [String]
        var value: JSONNode
    }

    /// Content types whose text is a message.
    static let textTypes: Set<String> = ["text", "multimodal_text", "code"]
    /// Content types that are not part of the conversation a user sees, by skip reason.
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
        decoding.mapObject(record, what: "a conversation object", into: &output) { root, out throws(ReadingError) in
            try map(root, record: record, into: &out)
        }
    }

    private func map(_ root: JSONNode, record: SourceRecord, into output: inout [AdapterOutput])
        throws(ReadingError)
    {
        var conversationID = try root.id("id", path: "id")
        if conversationID == nil { conversationID = try root.id("conversation_id", path: "conversation_id") }
        let title = try root.string("title", path: "title")
        let createTime = try root.double("create_time", path: "create_time")
        let currentNode = try root.string("current_node", path: "current_node")
        let mappingNode = try root.required("mapping", .object, path: "mapping")
        var mapping: [String: Node] = [:]
        for (id, value) in mappingNode.members {
            guard value.kind == .object else { throw JSONNode.wrongType("mapping.\(id)", "an object", value) }
            var children: [String] = []
            if let list = value.field("children") {
                guard list.kind == .array else { throw JSONNode.wrongType("mapping.\(id).children", "an array", list) }
                for (i, child) in list.elements.enumerated() {
                    guard let s = child.string else {
                        throw JSONNode.wrongType("mapping.\(id).children[\(i)]", "a string", child)
                    }
                    children.append(s)
                }
            }
            mapping[id] = Node(
                parent: try value.string("parent", path: "mapping.\(id).parent"), children: children, value: value)
        }
        var locator = record.locator
        locator.conversationID = conversationID
        var metadata: [String: JSONValue] = [:]
        if let conversationID { metadata["chatgpt_conversation_id"] = .string(conversationID) }
        if let title { metadata["chatgpt_title"] = .string(title) }
        var timestamp: Int64?
        if let createTime { timestamp = try ImportTime.seconds(epoch: createTime, at: locator, path: "create_time") }
        let all = branches(mapping, currentNode: currentNode)
        for branch in all {
            var turns: [ConversationTurn] = []
            for nodeID in branch {
                if let turn = try turn(nodeID, in: mapping, locator: locator, into: &output) { turns.append(turn) }
            }
            if turns.isEmpty {
                output.append(.skipped(reason: "empty_branch", count: 1))
                continue
            }
            var here = locator
            if all.count > 1, let leaf = branch.last { here.conversationID = (conversationID ?? "?") + "/" + leaf }
            builder.adds(turns: turns, metadata: metadata, timestamp: timestamp, locator: here, into: &output)
        }
    }

    /// The node ids of each branch to import, root first.
    func branches(_ mapping: [String: Node], currentNode: String?) -> [[String]] {
        if !builder.options.allBranches {
            var leaf = currentNode.flatMap { mapping[$0] != nil ? $0 : nil }
            if leaf == nil {
                // No usable current_node: the path along the last children.
                var node = roots(mapping).last
                var seen: Set<String> = []
                while let n = node, seen.insert(n).inserted,
                    let next = mapping[n]?.children.last(where: { mapping[$0] != nil })
                {
                    node = next
                }
                leaf = node
            }
            guard let start = leaf else { return [] }
            var path: [String] = []
            var seen: Set<String> = []
            var node: String? = start
            while let n = node, seen.insert(n).inserted, let entry = mapping[n] {
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
        _ nodeID: String, in mapping: [String: Node], locator: RecordLocator, into output: inout [AdapterOutput]
    ) throws(ReadingError) -> ConversationTurn? {
        guard let message = mapping[nodeID]?.value.field("message") else {
            output.append(.skipped(reason: "null_node", count: 1))
            return nil
        }
        let path = "mapping.\(nodeID).message"
        guard message.kind == .object else { throw JSONNode.wrongType(path, "an object", message) }
        let id = try message.string("id", path: path + ".id") ?? nodeID
        let here = locator.with(conversation: locator.conversationID, messages: [id])
        if message.field("metadata")?["is_visually_hidden_from_conversation"]?.bool == true {
            output.append(.skipped(reason: "hidden_node", count: 1))
            return nil
        }
        if try message.double("weight", path: path + ".weight") == 0 {
            output.append(.skipped(reason: "zero_weight_node", count: 1))
            return nil
        }
        let author = try message.required("author", .object, path: path + ".author")
        guard let roleName = try author.string("role", path: path + ".author.role") else {
            throw ReadingError(.wrongType, "the required field 'role' is missing", path: path + ".author.role")
        }
        let role: MessageRole
        switch roleName {
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
                        reason: .unknownRole, message: "unknown author role '\(roleName)'", locator: here,
                        path: path + ".author.role")))
            return nil
        }
        let content = try message.required("content", .object, path: path + ".content")
        let type = try content.string("content_type", path: path + ".content.content_type") ?? "(none)"
        if let reason = Self.droppedTypes[type] {
            output.append(.skipped(reason: reason + "_node", count: 1))
            return nil
        }
        guard Self.textTypes.contains(type) else {
            output.append(
                .reject(
                    ImportReject(
                        reason: .unknownContentType, message: "unknown content type '\(type)'", locator: here,
                        path: path + ".content.content_type")))
            return nil
        }
        if let recipient = try message.string("recipient", path: path + ".recipient"), recipient != "all" {
            output.append(.skipped(reason: "tool_node", count: 1))
            return nil
        }
        var texts: [String] = []
        var others: [String] = []
        if let parts = content.field("parts") {
            guard parts.kind == .array else { throw JSONNode.wrongType(path + ".content.parts", "an array", parts) }
            for part in parts.elements {
                if let s = part.string {
                    if !s.isEmpty { texts.append(s) }
                } else {
                    others.append(part["content_type"]?.string ?? part.typeDescription)
                }
            }
        }
        if let text = try content.string("text", path: path + ".content.text"), !text.isEmpty { texts.append(text) }
        if !others.isEmpty {
            output.append(
                .reject(
                    ImportReject(
                        reason: .nonTextContent,
                        message: "non-text parts cannot be stored: \(others.joined(separator: ", "))", locator: here,
                        path: path + ".content.parts")))
        }
        guard !texts.isEmpty else {
            output.append(.skipped(reason: "empty_message", count: 1))
            return nil
        }
        let created = try message.double("create_time", path: path + ".create_time")
        var timestamp: Int64?
        if let created { timestamp = try ImportTime.seconds(epoch: created, at: locator, path: path + ".create_time") }
        return ConversationTurn(
            message: Message(role: role, text: texts.joined(separator: "\n")), id: id, timestamp: timestamp)
    }
}
