import Foundation
import MemoryAPI
import Pipeline
import Reading
import Testing

@Suite struct Mem0DumpAdapterTests {
    @Test func dumpBecomesVerbatimAddsWithScopeMetadataAndTimestamp() throws {
        let run = Fixtures.run([Fixtures.sample("mem0-dump.json")], Fixtures.options(user: nil))
        #expect(run.adds.count == 2)
        let first = run.adds[0]
        #expect(first.infer == false)
        #expect(first.messages == [Message(role: .user, text: "Is vegetarian")])
        #expect(first.scope == Scope(userID: "alice"))
        #expect(first.metadata?["source"] == "onboarding")
        #expect(first.metadata?["memport_source_id"] == "8d9b7c36-1d0c-4a8e-9d6b-000000000001")
        #expect(first.timestamp == 1_721_464_236)
        let second = run.adds[1]
        #expect(second.scope == Scope(userID: "alice", agentID: "travel-bot", runID: "trip-lisbon"))
        #expect(second.immutable == true)
        #expect(second.expirationDate == "2025-12-31")
    }

    @Test func pageEnvelopeIsStreamed() throws {
        let run = Fixtures.run([Fixtures.sample("mem0-page.json")], Fixtures.options(user: nil))
        #expect(
            run.adds.map { $0.messages.first?.content.text ?? "" } == [
                "Lives in Oslo", "Works as a nurse", "Allergic to cats",
            ])
        #expect(run.adds[2].scope == Scope(userID: "carol", runID: "s-9"))
        #expect(run.units.map(\.locator.element) == [0, 1, 2])
    }

    @Test func updateModeMakesBatchItemsById() throws {
        let run = Fixtures.run(
            [Fixtures.sample("mem0-dump.json.gz")], Fixtures.options(user: nil) { $0.adapter.mem0Mode = .update })
        let items = run.units.compactMap { unit -> BatchUpdateItem? in
            if case .batchUpdate(let item) = unit.payload { return item }
            return nil
        }
        #expect(
            items.map(\.memoryID) == ["8d9b7c36-1d0c-4a8e-9d6b-000000000001", "8d9b7c36-1d0c-4a8e-9d6b-000000000002"])
        #expect(items[0].text == "Is vegetarian")
        #expect(items[0].metadata == ["source": "onboarding"])
    }

    @Test func memoryWithoutScopeIsARejectUnlessAFlagGivesOne() throws {
        let path = try Fixtures.write(
            #"{"id":"x1","memory":"orphan"}"# + "\n" + #"{"id":"x2","memory":"owned","agent_id":"a"}"#, name: "d.jsonl")
        let bare = Fixtures.run([path], Fixtures.options(user: nil))
        #expect(bare.rejects.map(\.reason) == [.missingScope])
        #expect(bare.texts == ["owned"])
        let flagged = Fixtures.run([path], Fixtures.options(user: "u"))
        #expect(flagged.adds.map(\.scope) == [Scope(userID: "u"), Scope(agentID: "a")])
    }
}

/// The official `mem0` CLI's files (ecosystem doc §2.4-2.5) and id-less memories.
@Suite struct Mem0DumpAdapterCLIFileTests {
    @Test func importArrayReadsMemoryTextAndContentWithoutIds() throws {
        let run = Fixtures.run([Fixtures.sample("mem0-cli-import.json")], Fixtures.options(user: nil))
        #expect(run.reports.first?.preset == .mem0)
        #expect(run.rejects.isEmpty, "\(run.rejects)")
        #expect(run.texts == ["Prefers dark mode", "Lives in Berlin", "Allergic to peanuts", "Likes tea"])
        #expect(run.adds[0].scope == Scope(userID: "alice") && run.adds[0].metadata?["source"] == "crm")
        #expect(run.adds[1].scope == Scope(agentID: "support-bot"))
        #expect(run.adds[3].metadata?["rank"] == .int(2))
        #expect(run.adds.allSatisfy { $0.metadata?[Mem0DumpAdapter.sourceIDField] == nil && $0.infer == false })
        #expect(Set(run.units.map(\.importKey)).count == 4)
        // The same text at another place is another unit; the same file gives the same keys.
        let again = Fixtures.run([Fixtures.sample("mem0-cli-import.json")], Fixtures.options(user: nil))
        #expect(again.units.map(\.importKey) == run.units.map(\.importKey))
    }

    @Test func importArrayStartingWithContentIsStillMem0() throws {
        let path = try Fixtures.write(
            #"[{"content": "Allergic to peanuts", "user_id": "carol"}, {"memory": "Likes tea", "user_id": "carol"}]"#,
            name: "cli.json")
        let run = Fixtures.run([path], Fixtures.options(user: nil))
        #expect(run.reports.first?.preset == .mem0 && run.texts == ["Allergic to peanuts", "Likes tea"])
    }

    @Test func listEnvelopeStreamsDataWithTheEnvelopeScope() throws {
        let run = Fixtures.run([Fixtures.sample("mem0-cli-list.json")], Fixtures.options(user: nil))
        #expect(run.reports.first?.preset == .mem0)
        #expect(run.rejects.isEmpty, "\(run.rejects)")
        #expect(run.texts == ["Plays the cello", "Runs every Sunday", "Speaks Norwegian"])
        #expect(run.adds.allSatisfy { $0.scope == Scope(userID: "frank") })
        #expect(run.adds[0].memportCategories == ["hobbies"] && run.adds[1].expirationDate == "2027-01-01")
        #expect(run.units.map(\.locator.element) == [0, 1, 2])
    }

    @Test func getAndSearchOutputKeepScopeAndMetadata() throws {
        let get = Fixtures.run([Fixtures.sample("mem0-cli-get.json")], Fixtures.options(user: nil))
        #expect(get.texts == ["Keeps bees on the roof"])
        #expect(get.adds[0].scope == Scope(userID: "gina", appID: "garden-app"))
        #expect(get.adds[0].metadata?["hive"] == .int(3) && get.adds[0].metadata?["source"] == "chat")
        let search = Fixtures.run([Fixtures.sample("mem0-cli-search.json")], Fixtures.options(user: nil))
        #expect(search.texts == ["Allergic to shellfish", "Avoids spicy food"])
        #expect(search.adds[0].scope == Scope(userID: "hugo", runID: "trip-7"))
        #expect(search.adds[0].metadata?["score"] == nil && search.adds[0].metadata?["severity"] == "high")
    }

    @Test func errorEnvelopeIsARejectNamingIt() throws {
        let run = Fixtures.run([Fixtures.sample("mem0-cli-error.json")], Fixtures.options(user: nil))
        #expect(run.units.isEmpty && run.rejects.count == 1)
        #expect(run.rejects[0].reason == .sourceError)
        #expect(run.rejects[0].message.contains("page_size must be at most 200"))
        #expect(run.rejects[0].message.contains("'list'"))
    }

    @Test func wholeGetEnvelopeUnwrapsData() throws {
        let path = try Fixtures.write(
            #"{"status": "success", "command": "get", "duration_ms": 3, "data": {"id": "m1", "memory": "Hi", "#
                + #""created_at": null, "updated_at": null, "categories": null, "metadata": {"a": 1}, "#
                + #""expiration_date": null}}"#, name: "get.json")
        let run = Fixtures.run([path], Fixtures.options(user: "zed"))
        #expect(run.texts == ["Hi"] && run.adds[0].scope == Scope(userID: "zed"))
        #expect(run.adds[0].metadata?[Mem0DumpAdapter.sourceIDField] == "m1")
    }

    @Test func badFieldsAreLocatedRejectsAndTheRestImports() throws {
        let items = [
            #"{"memory": 5, "user_id": "a"}"#, #"{"memory": "ok1", "user_id": 7}"#,
            #"{"memory": "ok2", "user_id": "a", "metadata": "x"}"#, #"{"text": ["x"], "user_id": "a"}"#,
            #"{"memory": "", "user_id": "a"}"#, #"{"memory": "ok3", "user_id": "a", "id": {"x": 1}}"#,
            #"{"memory": "ok4", "user_id": "a", "categories": 3}"#,
            #"{"memory": "ok5", "user_id": "a", "created_at": true}"#,
            #"{"memory": "good", "user_id": "a"}"#, #"{"memory": "no scope"}"#, "7",
        ]
        let path = try Fixtures.write("[" + items.joined(separator: ",\n") + "]", name: "bad.json")
        let run = Fixtures.run([path], Fixtures.options(user: nil, preset: .mem0))
        #expect(run.texts == ["good"])
        #expect(run.rejects.count == items.count - 1, "\(run.rejects)")
        #expect(run.rejects.allSatisfy { $0.locator.element != nil && $0.locator.line != nil })
        let paths = run.rejects.compactMap(\.path)
        for field in ["memory", "user_id", "metadata", "text", "id", "categories", "created_at"] {
            #expect(paths.contains(field), "no reject names \(field): \(paths)")
        }
    }

    @Test func truncatedAndEmptyCLIFilesAreLocatedRejects() throws {
        let text = try String(contentsOfFile: Fixtures.sample("mem0-cli-list.json"), encoding: .utf8)
        let cut = try Fixtures.write(String(text.prefix(text.count * 2 / 3)), name: "list-cut.json")
        let run = Fixtures.run([cut], Fixtures.options(user: nil))
        #expect(run.texts == ["Plays the cello"])
        #expect(run.rejects.count == 1 && run.rejects[0].reason == .unterminatedJSON)
        #expect(run.rejects[0].locator.offset > 0)
        let empty = try Fixtures.write("", name: "empty.json")
        let none = Fixtures.run([empty], Fixtures.options(user: nil, preset: .mem0))
        #expect(none.units.isEmpty && none.rejects.count == 1 && none.rejects[0].reason == .emptyInput)
        let emptyArray = try Fixtures.write(#"{"status": "success", "command": "list", "data": []}"#, name: "e.json")
        let nothing = Fixtures.run([emptyArray], Fixtures.options(user: nil, preset: .mem0))
        #expect(nothing.units.isEmpty)
    }
}
