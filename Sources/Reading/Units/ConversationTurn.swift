import MemoryAPI

/// One message of a conversation as an adapter reads it, before it is grouped into adds.
public struct ConversationTurn: Sendable, Hashable {
    /// The message to send.
    public var message: Message
    /// The message's id in the source (`nil` when the source has none).
    public var id: String?
    /// When the message was written, in Unix seconds.
    public var timestamp: Int64?

    /// Creates a turn.
    public init(message: Message, id: String? = nil, timestamp: Int64? = nil) {
        self.message = message
        self.id = id
        self.timestamp = timestamp
    }

    /// The size of the message's text in UTF-8 bytes.
    var textBytes: Int { message.content.text?.utf8.count ?? 0 }
}
