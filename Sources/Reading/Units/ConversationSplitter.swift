/// Splits a conversation into adds of at most `maxMessages` messages and `maxBytes` bytes of
/// text each, in order, so that no add is oversized. A single message over `maxBytes` cannot be
/// split and is reported apart.
///
/// ```swift
/// let split = ConversationSplitter(maxMessages: 2, maxBytes: 1000).split(turns)
/// ```
public struct ConversationSplitter: Sendable, Hashable {
    /// The most messages one add carries.
    public var maxMessages: Int
    /// The most bytes of message text one add carries.
    public var maxBytes: Int

    /// Creates a splitter; limits below 1 are raised to 1.
    public init(maxMessages: Int, maxBytes: Int) {
        self.maxMessages = max(1, maxMessages)
        self.maxBytes = max(1, maxBytes)
    }

    /// Whether the whole conversation fits in one add (then `split` gives it as the one part).
    public func fitsInOne(_ turns: [ConversationTurn]) -> Bool {
        guard turns.count <= maxMessages else { return false }
        var total = 0
        // By index: a `for turn in turns` loop copies each turn (its strings retained and released).
        for i in turns.indices { total += turns[i].textBytes }
        return total <= maxBytes
    }

    /// The parts, in order, and the indexes of messages too large for any add.
    public func split(_ turns: [ConversationTurn]) -> (parts: [[ConversationTurn]], oversized: [Int]) {
        if fitsInOne(turns) { return (turns.isEmpty ? [] : [turns], []) }
        var parts: [[ConversationTurn]] = []
        var oversized: [Int] = []
        var current: [ConversationTurn] = []
        var bytes = 0
        for (i, turn) in turns.enumerated() {
            let size = turn.textBytes
            if size > maxBytes {
                oversized.append(i)
                continue
            }
            if !current.isEmpty, current.count >= maxMessages || bytes + size > maxBytes {
                parts.append(current)
                current = []
                bytes = 0
            }
            current.append(turn)
            bytes += size
        }
        if !current.isEmpty { parts.append(current) }
        return (parts, oversized)
    }
}
