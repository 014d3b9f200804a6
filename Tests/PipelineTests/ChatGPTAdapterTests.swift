import Foundation
import MemoryAPI
import Pipeline
import Testing

@Suite struct ChatGPTAdapterTests {
    @Test func sharedFixtureImportsTheActiveBranch() throws {
        let run = Fixtures.run([Fixtures.shared("chatgpt-export-example.json")], Fixtures.options())
        #expect(run.reports.first?.preset == .chatgpt)
        #expect(run.adds.count == 1)
        let add = try #require(run.adds.first)
        #expect(add.messages.map(\.role) == [.user, .assistant, .user, .assistant])
        #expect(add.messages.first?.content.text == "Hello! Can you help me with a programming question?")
        #expect(run.units.first?.locator.conversationID == "conv-123")
        #expect(run.units.first?.locator.messageIDs.last == "msg-6")
        #expect(run.skipped["system_node"] == 1)
        #expect(add.timestamp == 1_704_067_300)
    }

    @Test func allBranchesImportsEveryMessageOnce() throws {
        let active = Fixtures.run([Fixtures.shared("chatgpt-export-example.json")], Fixtures.options())
        let all = Fixtures.run(
            [Fixtures.shared("chatgpt-export-example.json")], Fixtures.options { $0.adapter.allBranches = true })
        #expect(all.units.count > active.units.count)
        let ids = all.units.flatMap(\.locator.messageIDs)
        #expect(Set(ids).count == ids.count)
        #expect(Set(active.units.flatMap(\.locator.messageIDs)).isSubset(of: Set(ids)))
    }

    @Test func sampleDropsHiddenThoughtsToolAndNonTextParts() throws {
        let run = Fixtures.run([Fixtures.sample("chatgpt.json")], Fixtures.options())
        #expect(run.adds.count == 2)
        #expect(
            run.adds[0].messages.compactMap(\.content.text) == [
                "I have a small balcony facing south. What herbs can I grow?",
                "Basil, rosemary, thyme and oregano love full sun.", "Here is a photo. I also hate cilantro.",
                "Noted: no cilantro. Your balcony looks perfect for basil.",
            ])
        #expect(
            run.adds[1].messages.compactMap(\.content.text) == [
                "What is the weather in Oslo? I live there.", "It is 4 C and raining in Oslo.",
            ])
        #expect(run.skipped["thoughts_node"] == 1)
        #expect(run.skipped["hidden_node"] == 1)
        #expect(run.skipped["tool_node"] == 2)
        #expect(run.rejects.map(\.reason) == [.nonTextContent])
        #expect(run.rejects.first?.message.contains("image_asset_pointer") == true)
        #expect(run.adds[0].metadata?["chatgpt_title"] == "Garden planning")
    }

    @Test func unknownContentTypeIsARejectNamingTheType() throws {
        let conversation = #"""
            [{"id":"c1","current_node":"b","mapping":{
              "a":{"id":"a","parent":null,"children":["b"],"message":{"id":"a","author":{"role":"user"},"content":{"content_type":"hologram","parts":["?"]},"weight":1,"recipient":"all"}},
              "b":{"id":"b","parent":"a","children":[],"message":{"id":"b","author":{"role":"assistant"},"content":{"content_type":"text","parts":["kept"]},"weight":1,"recipient":"all"}}}}]
            """#
        let path = try Fixtures.write(conversation, name: "unknown.json")
        let run = Fixtures.run([path], Fixtures.options())
        #expect(run.texts == ["kept"])
        let reject = try #require(run.rejects.first)
        #expect(reject.reason == .unknownContentType)
        #expect(reject.message.contains("hologram"))
        #expect(reject.locator.messageIDs == ["a"])
        #expect(reject.locator.element == 0)
    }
}
