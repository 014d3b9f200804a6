import Foundation
import MemoryAPI
import Pipeline
import Testing

@Suite struct ShareGPTAdapterTests {
    @Test func sharedFixtureMapsEveryTurn() throws {
        let run = Fixtures.run([Fixtures.shared("sharegpt-fastchat-dummy.json")], Fixtures.options())
        #expect(run.reports.first?.preset == .sharegpt)
        #expect(run.records == 500)
        #expect(run.units.count == 500)
        #expect(run.adds.map(\.messages.count).reduce(0, +) == 2000)
        #expect(run.units.first?.locator.conversationID == "identity_0")
        #expect(run.adds.first?.messages.first == Message(role: .user, text: "Who are you?"))
        #expect(run.rejects.isEmpty)
    }

    @Test func toolAndSystemTurnsAreSkippedWithAReason() throws {
        let run = Fixtures.run([Fixtures.sample("sharegpt.json")], Fixtures.options())
        #expect(run.skipped["tool_turn"] == 2)
        #expect(run.adds.first?.messages.map(\.role) == [.user, .assistant, .user, .assistant])
    }

    @Test func unknownSpeakerIsAReject() throws {
        let path = try Fixtures.write(
            #"[{"id":7,"conversations":[{"from":"human","value":"hi"},{"from":"narrator","value":"x"}]}]"#,
            name: "s.json")
        let run = Fixtures.run([path], Fixtures.options())
        #expect(run.texts == ["hi"])
        #expect(run.rejects.first?.reason == .unknownRole)
        #expect(run.rejects.first?.path == "conversations[1].from")
        #expect(run.units.first?.locator.conversationID == "7")
    }

    /// Issue 16: function-call and observation turns, the {role, content} variant, LLaVA images,
    /// an all-empty conversation and an unknown speaker, with exact texts and counts.
    @Test func exportCasesImportTextOnlyAndCountEverySkip() throws {
        let run = Fixtures.run([Fixtures.chatCase("sharegpt-cases.json")], Fixtures.options())
        #expect(run.reports.first?.preset == .sharegpt)
        #expect(
            run.texts == [
                "Convert 100 USD to EUR.", "100 USD is about 92 EUR.", "I prefer window seats.", "Noted, window seats.",
                "What colour is the bus?", "The bus is red.", "Tell me more.",
            ])
        #expect(
            run.skipped == [
                "system_turn": 2, "tool_turn": 3, "image_part": 2, "media_turn": 1, "empty_turn": 1,
                "empty_conversation": 1,
            ])
        #expect(run.rejects.map(\.reason) == [.unknownRole])
        #expect(run.rejects.first?.locator.conversationID == "sg-unknown")
    }
}
