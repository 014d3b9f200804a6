import Foundation
import MemoryAPI
import Pipeline
import Testing

@Suite struct OpenAIAdapterTests {
    @Test func sampleMapsTextDropsSystemAndToolAndCountsImages() throws {
        let run = Fixtures.run([Fixtures.sample("openai.jsonl")], Fixtures.options())
        #expect(run.adds.count == 3)
        #expect(run.adds[0].messages.map(\.role) == [.user, .assistant, .user])
        #expect(run.adds[1].scope == Scope(userID: "bob"))
        #expect(run.adds[1].messages.first?.content.text == "My sister's name is Ana.")
        #expect(run.skipped == ["system_turn": 1, "tool_turn": 1, "image_part": 1])
        #expect(run.rejects.isEmpty)
    }

    /// Issue 16: tool calls (current and legacy), images and audio with and without text, an
    /// unknown part type and a record with only system turns, with exact texts and counts.
    @Test func exportCasesImportTextOnlyAndCountEverySkip() throws {
        let run = Fixtures.run([Fixtures.chatCase("openai-cases.jsonl")], Fixtures.options())
        #expect(run.reports.first?.preset == .openai)
        #expect(
            run.texts == [
                "Book me a table in Lisbon for Friday.", "Your table in Lisbon is booked for Friday.", "What is 2+2?",
                "It is 4.", "What plant is this?", "It is a monstera.", "I water it weekly.", "Noted.",
            ])
        #expect(
            run.skipped == [
                "system_turn": 3, "tool_part": 3, "tool_turn": 4, "image_part": 2, "media_turn": 1, "audio_part": 1,
                "empty_conversation": 1,
            ])
        #expect(run.rejects.map(\.reason) == [.unknownContentType])
        #expect(run.rejects.first?.locator.messageIDs == ["m0"])
        #expect(run.rejects.first?.locator.line == 4)
    }

    @Test func inferFlagIsCarried() throws {
        let run = Fixtures.run([Fixtures.sample("openai.jsonl")], Fixtures.options { $0.adapter.infer = true })
        #expect(run.adds.allSatisfy { $0.infer == true })
    }
}
