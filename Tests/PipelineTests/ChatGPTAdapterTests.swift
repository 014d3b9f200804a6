import Foundation
import MemoryAPI
import Pipeline
import Testing

@testable import Reading

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
        #expect(run.skipped == ["system_turn": 1])
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

    @Test func sampleDropsHiddenThoughtsToolAndCountsImages() throws {
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
        #expect(run.skipped == ["reasoning_turn": 1, "hidden_turn": 1, "tool_turn": 2, "image_part": 1])
        #expect(run.rejects.isEmpty, "an image next to a caption is counted, never a reject")
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

    /// Issue 16: voice mode, images with and without a caption, reasoning, tool calls, canvas,
    /// search citations, an all-empty conversation and unknown types, each with its exact texts
    /// and exact skip and reject counts.
    @Test func exportCasesImportTextOnlyAndCountEverySkip() throws {
        let run = Fixtures.run([Fixtures.chatCase("chatgpt-cases.json")], Fixtures.options())
        #expect(run.reports.first?.preset == .chatgpt)
        let byConversation = Dictionary(grouping: run.units) { $0.locator.conversationID ?? "-" }
        func texts(_ id: String) -> [String] {
            (byConversation[id] ?? []).flatMap { $0.payload.addRequest?.messages.compactMap(\.content.text) ?? [] }
        }
        #expect(
            texts("cg-voice") == [
                "I want to visit Kyoto in April for the cherry blossoms.", "April is peak season, so book early.",
                "Sorry, I did not catch that.",
            ])
        #expect(
            texts("cg-images") == [
                "Here is my south-facing balcony. What herbs can I grow?", "Basil, thyme and rosemary love full sun.",
                "Those look like healthy basil seedlings.",
            ])
        #expect(
            texts("cg-tools") == [
                "What is the weather in Oslo today? I cycle to work.",
                "It is 4 C and raining in Oslo. Take rain gear for your ride.",
                "Write me a packing list as a document.",
                "packing = ['rain jacket', 'gloves']",
            ])
        #expect(texts("cg-unknown") == ["Still here."])
        #expect(byConversation["cg-empty"] == nil)
        #expect(
            run.skipped == [
                "hidden_turn": 2, "audio_part": 4, "media_turn": 2, "image_part": 2, "file_part": 1, "system_turn": 1,
                "context_turn": 1, "reasoning_turn": 3, "tool_turn": 9, "zero_weight_turn": 1, "empty_turn": 1,
                "empty_conversation": 1,
            ])
        #expect(run.rejects.map(\.reason) == [.unknownContentType, .unknownContentType])
        #expect(run.rejects.map(\.locator.messageIDs) == [["u-1"], ["u-2"]])
        #expect(run.rejects[0].message.contains("'hologram'"))
        #expect(run.rejects[1].message.contains("'sticker_pack'"))
        // Every reject carries the whole conversation, the preset and the source.
        for reject in run.rejects {
            guard case .bytes(let data) = reject.record else {
                Issue.record("no record on \(reject)")
                continue
            }
            #expect(try JSONValue.parse(data)["id"] == "cg-unknown")
            #expect(reject.preset == .chatgpt)
            #expect(reject.source == InputSource(Fixtures.chatCase("chatgpt-cases.json")).identity)
        }
        // Nothing private: no reasoning, tool call, canvas or memory-tool text, no citation marker.
        let all = run.texts.joined(separator: "\n")
        for hidden in [
            "chain of thought", "The user cycles", "Thought for", "textdoc", "User cycles", "search(", "\u{E200}",
        ] {
            #expect(!all.contains(hidden), "\(hidden)")
        }
    }

    @Test func allBranchesCountsAnEmptyConversationOnce() throws {
        let conversation = #"""
            [{"id":"c1","current_node":"b","mapping":{
              "r":{"id":"r","parent":null,"children":["a","b"],"message":null},
              "a":{"id":"a","parent":"r","children":[],"message":{"id":"a","author":{"role":"system"},"content":{"content_type":"text","parts":["x"]}}},
              "b":{"id":"b","parent":"r","children":[],"message":{"id":"b","author":{"role":"user"},"content":{"content_type":"multimodal_text","parts":[{"content_type":"image_asset_pointer","asset_pointer":"file-service://file-1"}]}}}}}]
            """#
        let path = try Fixtures.write(conversation, name: "branches.json")
        let run = Fixtures.run([path], Fixtures.options { $0.adapter.allBranches = true })
        #expect(run.units.isEmpty && run.rejects.isEmpty)
        #expect(run.skipped == ["system_turn": 1, "image_part": 1, "media_turn": 1, "empty_conversation": 1])
    }
}
