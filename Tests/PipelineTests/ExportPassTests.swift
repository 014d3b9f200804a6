import MemoryAPI
import Testing

@testable import Pipeline

/// The export plan writes every memory exactly once, whatever ids it combines.
struct ExportPassTests {
    static let entities = [
        Entity(id: "1", name: "u1", type: .user), Entity(id: "2", name: "a1", type: .agent),
        Entity(id: "3", name: "r1", type: .run), Entity(id: "4", name: "app1", type: .app),
    ]

    @Test func eachMemoryBelongsToExactlyOnePass() throws {
        let passes = ExportPass.plan(entities: Self.entities, splitBy: nil, single: "out.jsonl", fileExtension: "jsonl")
        #expect(passes.map(\.label) == ["user_id=u1", "agent_id=a1", "app_id=app1", "run_id=r1"])
        let scopes = [
            Scope(userID: "u1"), Scope(userID: "u1", agentID: "a1"), Scope(agentID: "a1", runID: "r1"),
            Scope(runID: "r1"), Scope(agentID: "a1", appID: "app1"), Scope(userID: "u1", agentID: "a1", runID: "r1"),
        ]
        for (i, scope) in scopes.enumerated() {
            let memory = Memory(id: "m\(i)", memory: "x", scope: scope)
            let writers = try passes.filter { try $0.filter().matches(memory) && !$0.belongsEarlier(memory) }
            #expect(writers.count == 1, "\(scope.label) written by \(writers.map(\.label))")
        }
    }

    @Test func splitByPutsTheTypeFirstWithOneFilePerEntity() {
        let passes = ExportPass.plan(entities: Self.entities, splitBy: .agent, single: "", fileExtension: "csv.gz")
        #expect(passes.first?.label == "agent_id=a1")
        #expect(passes.first?.file == "agent_id=a1.csv.gz")
        #expect(passes.dropFirst().allSatisfy { $0.file == "no-agent_id.csv.gz" })
        #expect(ExportPass.safeName("../a b/é") == "%2E.%2Fa%20b%2F%C3%A9")
        #expect(ExportPass.safeName("alice-1.x") == "alice-1.x")
    }
}
