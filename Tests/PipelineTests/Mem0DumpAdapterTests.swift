import Foundation
import MemoryAPI
import Pipeline
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
