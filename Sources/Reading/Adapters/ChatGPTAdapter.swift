import Foundation
import MemoryAPI

/// ChatGPT data export (`conversations.json`): one conversation per record, a `mapping` tree of
/// nodes linked by `parent` and `children`, and the active leaf in `current_node`.
///
/// By default the active branch is imported: `parent` links walked from `current_node` to the
/// root. With `allBranches`, every branch is imported in depth-first order and each message
/// only once.
///
/// A message is its text: string parts, `audio_transcription` parts (voice mode) and the `text`
/// of `code` content. Image, audio, video and file pointers (`*_asset_pointer`, and uploads in
/// `metadata.attachments`) are counted as skipped parts, never rejects; a message with no text
/// left is a skipped turn. Hidden, zero-weight, system, tool, reasoning (`thoughts`,
/// `reasoning_recap`, the `analysis` channel), context and error messages, and messages
/// addressed to a tool (canvas, code, browsing, memory) are skipped by rule. An unknown content
/// type or part type in a user or assistant message is a reject naming it. Records are read from
/// a `JSONTape`, so only the nodes on the imported branches are looked at closely.
public struct ChatGPTAdapter: RecordAdapter {
    struct Node {
        var parent: String?
        var children: [String]
        var value: JSONNode
    }

    /// Content types whose text is a message.
    static let textTypes: Set<String> = ["text", "multimodal_text", "code"]
    /// Content types that are never memory, by the skip reason of their message.
    static let skippedTypes: [String: String] = [
        "thoughts": SkipReason.reasoningTurn, "reasoning_recap": SkipReason.reasoningTurn,
        "user_editable_context": SkipReason.contextTurn, "model_editable_context": SkipReason.contextTurn,
        "system_error": SkipReason.errorTurn, "tether_browsing_display": SkipReason.toolTurn,
        "tether_browsing_code": SkipReason.toolTurn, "tether_quote": SkipReason.toolTurn,
        "execution_output": SkipReason.toolTurn, "computer_output": SkipReason.toolTurn,
        "sonic_webpage": SkipReason.toolTurn,
    ]

    private let builder: UnitBuilder
    private let decoding = RecordDecoding()

    /// Creates the adapter.
    public init(builder: UnitBuilder) { self.builder = builder }

    /// Maps one conversation into adds for its active branch, or all of its branches.
    public mutating func map(_ record: SourceRecord, into output: inout [AdapterOutput]) {
        mapRecord(record, into: &output)
    }

    /// Not `mutating`, so the closure borrows the adapter instead of copying it (its builder and
    /// options) for every record.
    private func mapRecord(_ record: SourceRecord, into output: inout [AdapterOutput]) {
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
        var imported = 0
        for branch in all {
            var turns: [ConversationTurn] = []
            for nodeID in branch {
                if let turn = try turn(nodeID, in: mapping, locator: locator, into: &output) { turns.append(turn) }
            }
            // With every branch, one that adds nothing new is not a conversation of its own.
            if turns.isEmpty { continue }
            imported += turns.count
            var here = locator
            if all.count > 1, let leaf = branch.last { here.conversationID = (conversationID ?? "?") + "/" + leaf }
            builder.adds(turns: turns, metadata: metadata, timestamp: timestamp, locator: here, into: &output)
        }
        if imported == 0 { output.append(.skipped(reason: SkipReason.emptyConversation, count: 1)) }
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
        // A node without a message is the tree's structure (its root), not a turn.
        guard let message = mapping[nodeID]?.value.field("message") else { return nil }
        let path = "mapping.\(nodeID).message"
        guard message.kind == .object else { throw JSONNode.wrongType(path, "an object", message) }
        let id = try message.string("id", path: path + ".id") ?? nodeID
        let here = locator.with(conversation: locator.conversationID, messages: [id])
        let metadata = message.field("metadata")
        if metadata?["is_visually_hidden_from_conversation"]?.bool == true {
            output.append(.skipped(reason: SkipReason.hiddenTurn, count: 1))
            return nil
        }
        if try message.double("weight", path: path + ".weight") == 0 {
            output.append(.skipped(reason: SkipReason.zeroWeightTurn, count: 1))
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
        case "system", "developer":
            output.append(.skipped(reason: SkipReason.systemTurn, count: 1))
            return nil
        case "tool":
            output.append(.skipped(reason: SkipReason.toolTurn, count: 1))
            return nil
        default:
            output.append(
                .reject(
                    ImportReject(
                        reason: .unknownRole, message: "unknown author role '\(roleName)'", locator: here,
                        path: path + ".author.role")))
            return nil
        }
        // A message addressed to a tool (python, browser, canvas, the memory tool) is a tool call.
        if let recipient = message.field("recipient")?.string, recipient != "all" {
            output.append(.skipped(reason: SkipReason.toolTurn, count: 1))
            return nil
        }
        // Reasoning models write their hidden reasoning on the `analysis` channel.
        if message.field("channel")?.string == "analysis" {
            output.append(.skipped(reason: SkipReason.reasoningTurn, count: 1))
            return nil
        }
        let content = try message.required("content", .object, path: path + ".content")
        let type = try content.string("content_type", path: path + ".content.content_type") ?? "(none)"
        if let reason = Self.skippedTypes[type] {
            output.append(.skipped(reason: reason, count: 1))
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
        var parts = MessageContent()
        var unknown: [String] = []
        var pointers: [String] = []
        if let list = content.field("parts") {
            guard list.kind == .array else { throw JSONNode.wrongType(path + ".content.parts", "an array", list) }
            for part in list.elements {
                Self.read(part, into: &parts, unknown: &unknown, pointers: &pointers)
            }
        }
        if let text = try content.string("text", path: path + ".content.text") { parts.append(text: text) }
        Self.countAttachments(metadata?["attachments"], pointers: pointers, into: &parts)
        guard unknown.isEmpty else {
            let names = unknown.map { "'\($0)'" }.joined(separator: ", ")
            output.append(
                .reject(
                    ImportReject(
                        reason: .unknownContentType,
                        message: "unknown part content type \(names) in a \(type) message", locator: here,
                        path: path + ".content.parts")))
            return nil
        }
        guard let text = parts.emit(into: &output) else { return nil }
        let created = try message.double("create_time", path: path + ".create_time")
        let cleaned =
            role == .assistant ? ChatGPTCitations.clean(text, references: metadata?["content_references"]) : text
        guard cleaned.contains(where: { !$0.isWhitespace }) else {
            output.append(.skipped(reason: SkipReason.emptyTurn, count: 1))
            return nil
        }
        var timestamp: Int64?
        if let created { timestamp = try ImportTime.seconds(epoch: created, at: locator, path: path + ".create_time") }
        return ConversationTurn(message: Message(role: role, text: cleaned), id: id, timestamp: timestamp)
    }

    /// Sorts one element of `parts`: strings and transcripts are text; image, audio, video and
    /// file pointers are counted; anything else is named in `unknown`.
    static func read(
        _ part: JSONNode, into parts: inout MessageContent, unknown: inout [String], pointers: inout [String]
    ) {
        switch part.kind {
        case .string:
            parts.append(text: part.string ?? "")
        case .null:
            break
        case .object:
            let type = part["content_type"]?.string ?? part["type"]?.string ?? "(untyped)"
            for key in ["asset_pointer", "video_container_asset_pointer"] {
                if let pointer = part[key]?.string { pointers.append(pointer) }
            }
            switch type {
            case "audio_transcription", "text", "input_text", "output_text":
                parts.append(text: part["text"]?.string ?? "")
            case "real_time_user_audio_video_asset_pointer":
                // Voice mode; with video frames or a video container, video mode.
                let frames = part["frames_asset_pointers"]?.elements.count ?? 0
                let video = part["video_container_asset_pointer"].map { !$0.isNull } ?? false
                parts.drop(frames > 0 || video ? SkipReason.videoPart : SkipReason.audioPart)
                if let pointer = part["audio_asset_pointer"]?["asset_pointer"]?.string { pointers.append(pointer) }
            default:
                if let reason = MessageContent.mediaReason(type) {
                    parts.drop(reason)
                } else {
                    unknown.append(type)
                }
            }
        default:
            unknown.append(part.typeDescription)
        }
    }

    /// Counts the files in a message's `metadata.attachments` that no part points to (an uploaded
    /// image is both a part and an attachment; a PDF only an attachment), by their MIME type.
    static func countAttachments(_ attachments: JSONNode?, pointers: [String], into parts: inout MessageContent) {
        guard let attachments, attachments.kind == .array else { return }
        for attachment in attachments.elements where attachment.kind == .object {
            if let id = attachment["id"]?.string, !id.isEmpty, pointers.contains(where: { $0.hasSuffix(id) }) {
                continue
            }
            let mime = attachment["mime_type"]?.string?.lowercased() ?? ""
            if mime.hasPrefix("image/") {
                parts.drop(SkipReason.imagePart)
            } else if mime.hasPrefix("audio/") {
                parts.drop(SkipReason.audioPart)
            } else if mime.hasPrefix("video/") {
                parts.drop(SkipReason.videoPart)
            } else {
                parts.drop(SkipReason.filePart)
            }
        }
    }
}
