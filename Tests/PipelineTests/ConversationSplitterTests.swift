import MemoryAPI
import Pipeline
import Reading
import Testing

@Suite struct ConversationSplitterTests {
    static func turns(_ sizes: [Int]) -> [ConversationTurn] {
        sizes.enumerated().map {
            ConversationTurn(
                message: Message(role: .user, text: String(repeating: "a", count: $0.element)), id: "m\($0.offset)")
        }
    }

    @Test func splitsByCountAndBytesInOrder() {
        let splitter = ConversationSplitter(maxMessages: 3, maxBytes: 10)
        let (parts, oversized) = splitter.split(Self.turns([2, 2, 2, 2, 5, 5, 1]))
        #expect(parts.map { $0.map { $0.id ?? "" } } == [["m0", "m1", "m2"], ["m3", "m4"], ["m5", "m6"]])
        #expect(oversized.isEmpty)
    }

    @Test func aMessageOverTheByteLimitIsSetApart() {
        let (parts, oversized) = ConversationSplitter(maxMessages: 50, maxBytes: 10).split(Self.turns([3, 11, 3]))
        #expect(oversized == [1])
        #expect(parts.map(\.count) == [2])
    }
}
