import Foundation
import MemoryAPI
import Pipeline
import Reading
import Testing

@Suite struct RejectReplayTests {
    /// The fixed conversation maps to the one message the reject named, under the same key on
    /// every replay; its other messages (already imported) are left out.
    @Test func aMessageRejectReplaysThatMessageAloneUnderAStableKey() throws {
        let path = try Fixtures.write(RejectsFileTests.export, name: "conversations.json")
        let run = Fixtures.run([path], Fixtures.options())
        let reject = try #require(run.rejects.first)
        guard case .bytes(let data) = reject.record else {
            Issue.record("the reject holds no record")
            return
        }
        let fixed = try JSONValue.parse(
            String(decoding: data, as: UTF8.self).replacingOccurrences(of: "hologram", with: "text"))
        let line = RejectsFile.Line(
            number: 1, id: "r1", kind: .record, record: fixed, preset: reject.preset, source: reject.source,
            locator: reject.locator)
        let replay = RejectReplay(options: Fixtures.options())
        let first = try #require(replay.map(line))
        let second = try #require(replay.map(line))
        let units = first.events.compactMap { event -> ImportUnit? in
            if case .unit(let unit) = event { return unit }
            return nil
        }
        #expect(units.count == 1)
        #expect(units.first?.payload.addRequest?.messages == [Message(role: .user, text: "About ten kilos a year.")])
        #expect(units.first?.locator.messageIDs == ["u2"])
        #expect(units.first?.payload.addRequest?.timestamp == 1_717_232_430)
        #expect(first.unitKeys == second.unitKeys)
        #expect(first.rejectKeys.isEmpty)
        #expect(!run.units.map(\.importKey).contains(first.unitKeys[0]))
    }

    /// Unfixed, the record rejects again under the same ledger key, so the reject stays.
    @Test func anUnfixedRecordRejectsAgainUnderTheSameKey() throws {
        let path = try Fixtures.write(RejectsFileTests.export, name: "conversations.json")
        let reject = try #require(Fixtures.run([path], Fixtures.options()).rejects.first)
        guard case .bytes(let data) = reject.record else { return }
        let line = RejectsFile.Line(
            number: 1, id: LedgerReject(input: reject).key, kind: .record, record: try JSONValue.parse(data),
            preset: .chatgpt, source: reject.source, locator: reject.locator)
        let mapped = try #require(RejectReplay(options: Fixtures.options()).map(line))
        #expect(mapped.unitKeys.isEmpty)
        #expect(mapped.rejectKeys == [LedgerReject(input: reject).key])
    }

    @Test func selectionAdmitsSubConversations() {
        let selection = ReplaySelection(conversationID: "s1/session_2")
        #expect(selection.admits(conversation: "s1/session_2/Caroline_0"))
        #expect(!selection.admits(conversation: "s1/session_20/Caroline_0"))
        #expect(ReplaySelection(conversationID: nil).admits(conversation: "anything"))
    }
}
