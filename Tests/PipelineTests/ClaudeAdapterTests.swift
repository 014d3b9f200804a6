import Foundation
import MemoryAPI
import Pipeline
import Testing

@Suite struct ClaudeAdapterTests {
    @Test func sampleMapsSendersTextAndTimes() throws {
        let run = Fixtures.run([Fixtures.sample("claude.json")], Fixtures.options())
        let add = try #require(run.adds.first)
        #expect(add.messages.map(\.role) == [.user, .assistant, .user])
        #expect(add.messages[1].content.text == "Congratulations! Do you need help finding a flat?")
        #expect(add.timestamp == 1_717_232_410)
        #expect(run.skipped["tool_part"] == 1)
        #expect(add.messages[0].content.text?.contains("Offer letter") == false)
        #expect(run.units.first?.locator.conversationID == "5f1c2a9e-0000-4000-8000-000000000001")
    }

    @Test func attachmentsOnlyWhenAskedFor() throws {
        let run = Fixtures.run(
            [Fixtures.sample("claude.json")], Fixtures.options { $0.adapter.includeAttachments = true })
        #expect(run.adds.first?.messages[0].content.text?.contains("Offer letter: start date 2024-09-02.") == true)
    }
}
