import Foundation
import MemoryAPI
import MemoryStore
import TestSupport
import Testing

@Suite struct MemoryStoreAddManyTests {
    @Test func answersEachCallAsAddWouldAndABadCallFailsAlone() async throws {
        try await TemporaryDirectory.with { dir in
            let store = try MemoryStore(path: dir.path("m.db"))
            let project = ProjectContext.default
            let requests = [
                AddRequest(messages: [Message(role: .user, text: "likes tea")], scope: Scope(userID: "a")),
                AddRequest(
                    messages: [Message(role: .user, text: "bad date")], scope: Scope(userID: "a"),
                    expirationDate: "2030-02-30"),
                AddRequest(messages: [Message(role: .user, text: "no scope")], scope: Scope()),
                AddRequest(
                    messages: [Message(role: .user, text: "likes tea"), Message(role: .user, text: "reads")],
                    scope: Scope(userID: "a"), metadata: ["k": 1], timestamp: 1_700_000_000),
            ]
            let results = try await store.addMany(requests, in: project)
            #expect(results.count == 4)
            guard case .success(let first) = results[0], case .success(let last) = results[3] else {
                Issue.record("expected the good calls to succeed: \(results)")
                return
            }
            #expect(first.results.map(\.event) == [.add])
            #expect(last.results.map(\.event) == [.noop, .add], "the same text in the same scope is a NOOP")
            #expect(last.results[0].id == first.results[0].id)
            for i in [1, 2] {
                guard case .failure(let e) = results[i] else {
                    Issue.record("call \(i) should fail")
                    continue
                }
                #expect(e.status == 400)
            }
            let all = try await store.all(filter: nil, in: project)
            #expect(Set(all.map(\.memory)) == ["likes tea", "reads"])
            let reads = try #require(all.first { $0.memory == "reads" })
            #expect(reads.metadata == ["k": 1] && reads.createdAt == Date(timeIntervalSince1970: 1_700_000_000))
            // The same calls one by one give the same store.
            let single = try MemoryStore(path: dir.path("single.db"))
            for r in requests { _ = try? await single.add(r, in: project) }
            #expect(Set(try await single.all(filter: nil, in: project).map(\.memory)) == Set(all.map(\.memory)))
        }
    }
}
