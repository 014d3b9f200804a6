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

    /// A message's fields are read in one pass over its keys: the first member of a name wins
    /// (as a lookup by name reads it), a first `null` counts as absent, and an escaped key is
    /// matched by its decoded text.
    @Test func firstMemberOfANameWinsAndNullIsAbsent() throws {
        let lines = [
            #"{"id":"c1","messages":[{"role":"user","role":"assistant","content":"Hi","content":"later"},"#
                + #"{"r\u006fle":"assistant","content":"Hello","name":null,"name":"bot"},"#
                + #"{"role":"user","content":null,"content":"never read"},"#
                + #"{"content":"Bye","role":"user","id":"m-last","tool_calls":null}]}"#,
            #"{"id":"c2","messages":[{"role":null,"role":"user","content":"x"}]}"#,
        ]
        let path = try Fixtures.write(lines.joined(separator: "\n") + "\n", name: "dups.jsonl")
        let run = Fixtures.run([path], Fixtures.options(preset: .openai))
        #expect(run.adds.count == 1)
        let messages = try #require(run.adds.first).messages
        #expect(messages.map(\.role) == [.user, .assistant, .user])
        #expect(messages.map(\.content.text) == ["Hi", "Hello", "Bye"])
        #expect(messages.map(\.name) == [nil, nil, nil])
        #expect(run.units.first?.locator.messageIDs == ["m0", "m1", "m-last"])
        #expect(run.skipped == ["empty_turn": 1])
        #expect(run.rejects.map(\.reason) == [.wrongType])
        #expect(run.rejects.first?.path == "messages[0].role")
    }

    @Test func inferFlagIsCarried() throws {
        let run = Fixtures.run([Fixtures.sample("openai.jsonl")], Fixtures.options { $0.adapter.infer = true })
        #expect(run.adds.allSatisfy { $0.infer == true })
    }
}
