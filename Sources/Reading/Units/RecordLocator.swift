import MemoryAPI

/// Where a record, a unit or a reject comes from: the file, the line or element index, the byte
/// offsets, and the conversation and message ids inside the record.
public struct RecordLocator: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file as the user named it, or `-` for stdin.
    public var file: String
    /// The 1-based line the record starts on.
    public var line: Int?
    /// The 0-based index of the record among the file's records (array element, CSV data row).
    public var element: Int?
    /// The byte offset of the record's start in the uncompressed input.
    public var offset: Int64
    /// The offset in the compressed file reached when the record was read (gzip input only).
    public var compressedOffset: Int64?
    /// The conversation (or sample, or group) id inside the record.
    public var conversationID: String?
    /// The ids of the messages a unit carries.
    public var messageIDs: [String]
    /// The 0-based part when a conversation is split into several adds.
    public var part: Int?

    /// Creates a locator.
    public init(
        file: String, line: Int? = nil, element: Int? = nil, offset: Int64 = 0, compressedOffset: Int64? = nil,
        conversationID: String? = nil, messageIDs: [String] = [], part: Int? = nil
    ) {
        self.file = file
        self.line = line
        self.element = element
        self.offset = offset
        self.compressedOffset = compressedOffset
        self.conversationID = conversationID
        self.messageIDs = messageIDs
        self.part = part
    }

    enum CodingKeys: String, CodingKey {
        case file, line, element, offset, part
        case compressedOffset = "compressed_offset"
        case conversationID = "conversation_id"
        case messageIDs = "message_ids"
    }

    /// `chat.jsonl line 3, byte 120` or `export.json element 2 (line 1, byte 4000), conversation c1`.
    public var description: String {
        var text = file
        var place: [String] = []
        if let element { place.append("element \(element)") }
        if let line { place.append("line \(line)") }
        // A store's point has no line or byte: only its id (the conversation) places it.
        if !place.isEmpty || offset != 0 { place.append("byte \(offset)") }
        if !place.isEmpty { text += " " + place.joined(separator: ", ") }
        if let conversationID { text += ", conversation \(conversationID)" }
        if let first = messageIDs.first {
            text +=
                messageIDs.count == 1 ? ", message \(first)" : ", messages \(first)…\(messageIDs[messageIDs.count - 1])"
        }
        if let part { text += ", part \(part)" }
        return text
    }

    /// The same place with a conversation, messages and part filled in.
    public func with(conversation: String?, messages: [String] = [], part: Int? = nil) -> RecordLocator {
        var copy = self
        copy.conversationID = conversation
        copy.messageIDs = messages
        copy.part = part
        return copy
    }

    /// The canonical text the import key hashes: every field that names the record's place.
    var keyText: String {
        var hasher = KeyTextCollector()
        hashKeyText(into: &hasher)
        return hasher.text
    }

    /// About how many bytes the key text takes (at least as many as it does, bar long numbers),
    /// to size a buffer for it.
    var keyTextEstimate: Int {
        var total = 96 + (conversationID?.utf8.count ?? 0)
        for id in messageIDs { total += id.utf8.count + 1 }
        return total
    }

    /// Feeds the key text to a hasher piece by piece, without building it.
    func hashKeyText(into hasher: inout some KeyTextSink) {
        if let line {
            hasher.update("line=")
            hasher.update(decimal: Int64(line))
            hasher.update("\u{1F}")
        }
        if let element {
            hasher.update("element=")
            hasher.update(decimal: Int64(element))
            hasher.update("\u{1F}")
        }
        if let conversationID {
            hasher.update("conversation=")
            hasher.update(conversationID)
            hasher.update("\u{1F}")
        }
        if !messageIDs.isEmpty {
            hasher.update("messages=")
            for (i, id) in messageIDs.enumerated() {
                if i > 0 { hasher.update(",") }
                hasher.update(id)
            }
            hasher.update("\u{1F}")
        }
        if let part {
            hasher.update("part=")
            hasher.update(decimal: Int64(part))
        }
    }
}

extension RecordLocator {
    /// The locator as its `Codable` form writes it (absent optionals left out), built directly:
    /// the ledger stores one per unit.
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "file": .string(file), "offset": .int(offset), "message_ids": .array(messageIDs.map(JSONValue.string)),
        ]
        if let line { o["line"] = .int(Int64(line)) }
        if let element { o["element"] = .int(Int64(element)) }
        if let compressedOffset { o["compressed_offset"] = .int(compressedOffset) }
        if let conversationID { o["conversation_id"] = .string(conversationID) }
        if let part { o["part"] = .int(Int64(part)) }
        return .object(o)
    }
}
