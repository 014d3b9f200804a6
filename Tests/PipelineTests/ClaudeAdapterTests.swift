import Foundation
import MemoryAPI
import Pipeline
import Testing

@testable import Reading

@Suite struct ClaudeAdapterTests {
    @Test func sampleMapsSendersTextAndTimes() throws {
        let run = Fixtures.run([Fixtures.sample("claude.json")], Fixtures.options())
        let add = try #require(run.adds.first)
        #expect(add.messages.map(\.role) == [.user, .assistant, .user])
        #expect(add.messages[1].content.text == "Congratulations! Do you need help finding a flat?")
        #expect(add.timestamp == 1_717_232_410)
        #expect(run.skipped == ["tool_part": 1, "file_part": 1])
        #expect(add.messages[0].content.text?.contains("Offer letter") == false)
        #expect(run.units.first?.locator.conversationID == "5f1c2a9e-0000-4000-8000-000000000001")
    }

    @Test func attachmentsOnlyWhenAskedFor() throws {
        let run = Fixtures.run(
            [Fixtures.sample("claude.json")], Fixtures.options { $0.adapter.includeAttachments = true })
        #expect(run.adds.first?.messages[0].content.text?.contains("Offer letter: start date 2024-09-02.") == true)
        #expect(run.skipped == ["tool_part": 1])
    }

    /// Issue 16: thinking with an answer, a voice note, tool-only turns, the export's placeholders,
    /// images, an old export without parts, empty conversations and an unknown part type, each
    /// with its exact texts and exact skip and reject counts.
    @Test func exportCasesImportTextOnlyAndCountEverySkip() throws {
        let run = Fixtures.run([Fixtures.chatCase("claude-cases.json")], Fixtures.options())
        #expect(run.reports.first?.preset == .claude)
        let byConversation = Dictionary(grouping: run.units) { $0.locator.conversationID ?? "-" }
        func texts(_ id: String) -> [String] {
            (byConversation[id] ?? []).flatMap { $0.payload.addRequest?.messages.compactMap(\.content.text) ?? [] }
        }
        #expect(
            texts("cl-conv-1") == [
                "I am training for the Berlin marathon in September.", "A 16-week plan suits a September race.",
                "My long run is on Sundays.", "The forecast for Sunday in Berlin is dry.", "Here is my running shoe.",
                "My plan notes are attached.",
            ])
        #expect(texts("cl-conv-2") == ["Can you draw the route?", "Here is the route.\n\nIt follows the river."])
        #expect(texts("cl-conv-5") == ["Hello there."])
        #expect(byConversation["cl-conv-3"] == nil && byConversation["cl-conv-4"] == nil)
        #expect(
            run.skipped == [
                "reasoning_part": 3, "token_budget_part": 1, "tool_part": 4, "tool_turn": 1, "reasoning_turn": 2,
                "image_part": 2, "media_turn": 1, "file_part": 1, "placeholder_part": 1, "empty_turn": 1,
                "empty_conversation": 2,
            ])
        #expect(run.rejects.map(\.reason) == [.unknownContentType])
        #expect(run.rejects.first?.locator.messageIDs == ["c5-2"])
        #expect(run.rejects.first?.message.contains("'hologram'") == true)
        let all = run.texts.joined(separator: "\n")
        #expect(!all.contains("I should suggest a plan") && !all.contains("not supported on your current device"))
        #expect(run.adds.allSatisfy { $0.scope == Scope(userID: "tester") }, "the flags win over the account")
    }

    /// Issue 16: with no --user-id, the export's account id is the user; the dry-run summary names it.
    @Test func theAccountIsTheDefaultUserAndTheSummaryNamesIt() throws {
        let options = Fixtures.options(user: nil)
        let reader = ImportReader(sources: [InputSource(Fixtures.chatCase("claude-cases.json"))], options: options)
        var summary = DryRunSummary()
        while let event = reader.next() { summary.add(event) }
        #expect(summary.rejectsByReason["missing_scope"] == nil)
        let scope = try #require(summary.scopes.first)
        #expect(summary.scopes.count == 1 && scope.value.messages == 9)
        #expect(summary.scopeOrigins[scope.key] == ClaudeAdapter.accountOrigin)
        #expect(summary.rendered().contains("(user_id from the Claude export's account (no --user-id given))"))
        #expect(scope.key == "user=7d3c1f6e-acc0-4a1b-9c2d-000000000042")
    }
}
