import Foundation
import MemoryAPI
import MemoryStore
import Pipeline
import TestSupport
import Testing

/// Batch update and batch delete through the engine, into the embedded target.
@Suite struct BatchOperationTests {
    @Test func updatesAndDeletesByIDAndIsolatesABadItem() async throws {
        try await TemporaryDirectory.with { dir in
            let store = try MemoryStore(path: dir.path("m.db"))
            var ids: [String] = []
            for i in 0..<10 {
                let answer = try await store.add(
                    AddRequest(messages: [Message(role: .user, text: "fact \(i)")], scope: Scope(userID: "ivy")),
                    in: .default)
                ids += answer.results.compactMap(\.id)
            }
            let unknown = "00000000-0000-4000-8000-000000000000"
            let updates = (ids + [unknown]).enumerated().map { i, id -> JSONValue in
                ["id": .string(id), "memory": .string("fact \(i), revised"), "user_id": "ivy"]
            }
            try JSONValue.array(updates).jsonString().write(
                toFile: dir.path("update.json"), atomically: true, encoding: .utf8)
            var spec = PipelineSpec(sources: [dir.path("update.json")], preset: .mem0, operation: .update)
            spec.target = .embedded(path: dir.path("m.db"))
            let job = ImportJob(stateDirectory: dir.url.appendingPathComponent("state"))
            let updated = try await job.run(spec)
            #expect(updated.progress.confirmed == 10 && updated.progress.rejects == 1)
            #expect(updated.progress.rejectsByReason == ["not_found": 1])
            let texts = try await store.all(filter: nil, in: .default).map(\.memory)
            #expect(Set(texts) == Set((0..<10).map { "fact \($0), revised" }))
            let rejects = try RejectsFile.read(path: try #require(updated.rejectsFile))
            #expect(rejects.count == 1 && rejects[0].record?["memory_id"]?.stringValue == unknown)

            let deletes = ids.prefix(5).map { id -> JSONValue in ["id": .string(id), "memory": "x", "user_id": "ivy"] }
            try JSONValue.array(Array(deletes)).jsonString().write(
                toFile: dir.path("delete.json"), atomically: true, encoding: .utf8)
            var deleteSpec = PipelineSpec(sources: [dir.path("delete.json")], preset: .mem0, operation: .delete)
            deleteSpec.target = spec.target
            let deleted = try await job.run(deleteSpec)
            #expect(deleted.state == .finished && deleted.progress.confirmed == 5)
            let left = try await store.all(filter: nil, in: .default).map(\.id)
            #expect(Set(left) == Set(ids.suffix(5)))
        }
    }
}
