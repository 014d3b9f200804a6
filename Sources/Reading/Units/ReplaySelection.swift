/// The part of a record a replay maps again: the conversation and the messages a reject named.
///
/// A reject of one message leaves the rest of its conversation imported; replaying the fixed
/// record imports that message alone (under a key of its own, the same on every replay), never
/// the messages already delivered again.
public struct ReplaySelection: Sendable, Hashable {
    /// The conversation the reject named; `nil` for the whole record.
    public var conversationID: String?
    /// The messages the reject named; empty for the whole conversation.
    public var messageIDs: Set<String>

    /// Creates a selection.
    public init(conversationID: String?, messageIDs: Set<String> = []) {
        self.conversationID = conversationID
        self.messageIDs = messageIDs
    }

    /// The selection a reject's locator names.
    public init(_ locator: RecordLocator) {
        self.init(conversationID: locator.conversationID, messageIDs: Set(locator.messageIDs))
    }

    /// `true` when a conversation (`sample/session_1/user` under `sample/session_1`) is selected.
    public func admits(conversation: String?) -> Bool {
        guard let wanted = conversationID else { return true }
        guard let conversation else { return false }
        return conversation == wanted || conversation.hasPrefix(wanted + "/")
    }

    /// `true` when a reject found by the replay is about the selected part.
    public func admits(_ reject: ImportReject) -> Bool {
        guard reject.locator.conversationID != nil else { return true }
        guard admits(conversation: reject.locator.conversationID) else { return false }
        return messageIDs.isEmpty || reject.locator.messageIDs.isEmpty
            || !messageIDs.isDisjoint(with: reject.locator.messageIDs)
    }
}
