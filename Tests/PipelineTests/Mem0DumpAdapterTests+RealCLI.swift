import Foundation
import MemoryAPI
import Pipeline
import Reading
import TestSupport
import Testing

/// Files the real `mem0` CLI (mem0-cli 0.2.13) printed, imported back into an empty store: every
/// memory once, with the same text, scope, metadata and creation time. The files are committed
/// in `Tests/Fixtures/mem0-cli/`, made by `scripts/mem0-cli-fixtures`.
@Suite struct Mem0DumpAdapterRealCLITests {
    /// What the CLI printed, one file per command and scope.
    static let files = [
        "list.json", "list-agent.json", "list-gina.json", "get-1.json", "get-2.json", "get-3.json", "get-4.json",
        "search.json", "search-gina.json",
    ]

    /// One memory as the file shows it.
    struct Expected {
        var id: String
        var text: String
        var scope: Scope
        var metadata: [String: JSONValue]?
        var created: Int64?
    }

    @Test(arguments: files) func importedBackIntoAnEmptyStoreOnceWithTextScopeAndMetadata(_ name: String)
        async throws
    {
        let path = Fixtures.cliFile(name)
        let expected = try Self.expected(path)
        #expect(!expected.isEmpty)
        let detected = Fixtures.run([path], Fixtures.options(user: nil))
        #expect(detected.reports.first?.preset == .mem0 && detected.rejects.isEmpty, "\(detected.rejects)")
        try await TemporaryDirectory.with { dir in
            let db = dir.path("m.db")
            let spec = PipelineSpec(sources: [path], target: try TargetSpec("embedded:" + db))
            let summary = try await ImportJob(stateDirectory: dir.url.appendingPathComponent("state")).run(spec)
            #expect(summary.progress.rejects == 0 && summary.progress.confirmed == expected.count)
            let memories = try await EngineFixtures.memories(inStore: db)
            #expect(memories.count == expected.count, "\(memories.map(\.memory))")
            for item in expected {
                let same = memories.filter { $0.memory == item.text }
                #expect(same.count == 1, "\(item.text) stored \(same.count) times")
                guard let memory = same.first else { continue }
                #expect(memory.scope == item.scope, "\(item.text)")
                #expect(memory.metadata?[Mem0DumpAdapter.sourceIDField] == .string(item.id))
                for (key, value) in item.metadata ?? [:] {
                    #expect(memory.metadata?[key] == value, "\(item.text): metadata \(key)")
                }
                if let created = item.created {
                    #expect(memory.createdAt.map { Int64($0.timeIntervalSince1970.rounded(.down)) } == created)
                }
            }
            // A second run over the same file sends nothing.
            let again = try await ImportJob(stateDirectory: dir.url.appendingPathComponent("state")).run(spec)
            #expect(again.progress.confirmed == 0)
            #expect(try await EngineFixtures.memories(inStore: db).count == expected.count)
        }
    }

    @Test func errorEnvelopeOfTheRealCLIIsARejectNamingIt() throws {
        let run = Fixtures.run([Fixtures.cliFile("error.json")], Fixtures.options(user: "frank"))
        #expect(run.units.isEmpty && run.rejects.count == 1)
        #expect(run.rejects.first?.reason == .sourceError)
        #expect(run.rejects.first?.message.contains("'get'") == true)
        #expect(run.rejects.first?.message.contains("Resource not found") == true)
    }

    /// The memories a CLI file holds, read as plain JSON (not through the reader under test).
    static func expected(_ path: String) throws -> [Expected] {
        let root = try JSONValue.parse(String(contentsOfFile: path, encoding: .utf8))
        var envelopeScope = Scope()
        let items: [JSONValue]
        switch root {
        case .array(let array): items = array
        case .object(let object) where object["status"] != nil:
            if case .object(let s)? = object["scope"] { envelopeScope = scope(s) }
            items = object["data"]?.arrayValue ?? []
        default: items = [root]
        }
        return items.compactMap { item -> Expected? in
            guard case .object(let o) = item, let id = o["id"]?.stringValue, let text = o["memory"]?.stringValue
            else { return nil }
            let own = scope(o)
            let created = o["created_at"]?.stringValue.flatMap(MemoryTimestamp.parse).map {
                Int64($0.timeIntervalSince1970.rounded(.down))
            }
            return Expected(
                id: id, text: text, scope: own.isEmpty ? envelopeScope : own, metadata: o["metadata"]?.objectValue,
                created: created)
        }
    }

    static func scope(_ o: [String: JSONValue]) -> Scope {
        Scope(
            userID: o["user_id"]?.stringValue, agentID: o["agent_id"]?.stringValue, appID: o["app_id"]?.stringValue,
            runID: o["run_id"]?.stringValue ?? o["session_id"]?.stringValue)
    }
}
