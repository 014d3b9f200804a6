import Foundation
import MemoryAPI
import Pipeline
import Testing

@Suite struct OpenAIAdapterTests {
    @Test func sampleMapsTextDropsSystemAndToolAndRejectsImages() throws {
        let run = Fixtures.run([Fixtures.sample("openai.jsonl")], Fixtures.options())
        #expect(run.adds.count == 3)
        #expect(run.adds[0].messages.map(\.role) == [.user, .assistant, .user])
        #expect(run.adds[1].scope == Scope(userID: "bob"))
        #expect(run.adds[1].messages.first?.content.text == "My sister's name is Ana.")
        #expect(run.skipped == ["system_turn": 1, "tool_turn": 1])
        let reject = try #require(run.rejects.first)
        #expect(reject.reason == .nonTextContent)
        #expect(reject.message.contains("image_url"))
        #expect(reject.locator.line == 2)
        #expect(reject.path == "messages[0].content")
    }

    @Test func inferFlagIsCarried() throws {
        let run = Fixtures.run([Fixtures.sample("openai.jsonl")], Fixtures.options { $0.adapter.infer = true })
        #expect(run.adds.allSatisfy { $0.infer == true })
    }
}
