import Foundation
import GRDB
import MemoryAPI
import TestSupport
import Testing

@testable import MemoryStore

/// A clock tests move by hand.
final class TestClock: @unchecked Sendable {
    // @unchecked: `now` is only touched under `lock`.
    private let lock = NSLock()
    private var now: Date
    init(_ start: Date) { now = start }
    func read() -> Date { lock.withLock { now } }
    func set(_ date: Date) { lock.withLock { now = date } }
}

@Suite struct MemoryStoreTests {
    let project = ProjectContext.default

    func withStore(clock: TestClock? = nil, _ body: (MemoryStore) async throws -> Void) async throws {
        try await TemporaryDirectory.with { dir in
            let store: MemoryStore
            if let clock {
                store = try MemoryStore(path: dir.path("s.db"), clock: { clock.read() })
            } else {
                store = try MemoryStore(path: dir.path("s.db"))
            }
            try await body(store)
        }
    }

    static let chat = [
        Message(role: .system, text: "You are helpful."),
        Message(role: .user, text: "I'm vegetarian."),
        Message(role: .assistant, text: "Noted: you are vegetarian."),
    ]

    @Test func userScopeStoresUserMessagesOnly() async throws {
        try await withStore { store in
            let r = try await store.add(AddRequest(messages: Self.chat, scope: Scope(userID: "alex")), in: project)
            #expect(r.results.map(\.memory) == ["I'm vegetarian."])
            #expect(r.results.first?.scope == Scope(userID: "alex"))
            let run = try await store.add(
                AddRequest(messages: Self.chat, scope: Scope(runID: "r1")), in: project)
            #expect(run.results.map(\.memory) == ["I'm vegetarian."])
        }
    }

    @Test func agentAloneStoresAssistantMessages() async throws {
        try await withStore { store in
            let r = try await store.add(AddRequest(messages: Self.chat, scope: Scope(agentID: "bot")), in: project)
            #expect(r.results.map(\.memory) == ["Noted: you are vegetarian."])
            #expect(r.results.first?.scope == Scope(agentID: "bot"))
        }
    }

    @Test func userAndAgentSplitByRole() async throws {
        try await withStore { store in
            let r = try await store.add(
                AddRequest(messages: Self.chat, scope: Scope(userID: "alex", agentID: "bot", runID: "s")), in: project)
            #expect(r.results.count == 2)
            #expect(r.results[0].scope == Scope(userID: "alex", runID: "s"))
            #expect(r.results[1].scope == Scope(agentID: "bot", runID: "s"))
            let mine = try await store.getAll(filter: .userID("alex"), in: project)
            #expect(mine.results.map(\.memory) == ["I'm vegetarian."])
        }
    }

    @Test func sameTextInSameScopeIsNoop() async throws {
        try await withStore { store in
            let req = AddRequest(messages: [Message(role: .user, text: "tea")], scope: Scope(userID: "a"))
            let first = try await store.add(req, in: project)
            let second = try await store.add(req, in: project)
            #expect(second.results.first?.event == .noop)
            #expect(second.results.first?.id == first.results.first?.id)
            let other = try await store.add(
                AddRequest(messages: [Message(role: .user, text: "tea")], scope: Scope(userID: "b")), in: project)
            #expect(other.results.first?.event == .add)
        }
    }

    @Test func noEntityIsRefused() async throws {
        try await withStore { store in
            await #expect(throws: MemoryStoreError.self) {
                try await store.add(AddRequest(messages: Self.chat, scope: Scope()), in: project)
            }
        }
    }

    @Test func keepsMetadataTimestampImmutableAndExpiry() async throws {
        let clock = TestClock(MemoryTimestamp.parse("2030-01-15T12:00:00Z")!)
        try await withStore(clock: clock) { store in
            let r = try await store.add(
                AddRequest(
                    messages: [Message(role: .user, text: "old fact")], scope: Scope(userID: "u"),
                    metadata: ["src": "x"], timestamp: 1_700_000_000, expirationDate: "2030-01-31", immutable: true),
                in: project)
            let id = try #require(r.results.first?.id)
            let m = try await store.get(id: id, in: project)
            #expect(m.metadata == ["src": "x"])
            #expect(m.createdAt == Date(timeIntervalSince1970: 1_700_000_000))
            #expect(m.immutable == true)
            #expect(m.expirationDate == "2030-01-31")
            // Visible through the expiration day, hidden after; get still returns it.
            clock.set(MemoryTimestamp.parse("2030-01-31T23:59:00Z")!)
            #expect(try await store.getAll(filter: .userID("u"), in: project).count == 1)
            clock.set(MemoryTimestamp.parse("2030-02-01T00:00:01Z")!)
            #expect(try await store.getAll(filter: .userID("u"), in: project).count == 0)
            #expect(try await store.getAll(filter: .userID("u"), showExpired: true, in: project).count == 1)
            #expect(try await store.get(id: id, in: project).memory == "old fact")
            // Immutable refuses updates.
            await #expect(throws: MemoryStoreError.self) {
                try await store.update(id: id, UpdateRequest(text: "new"), in: project)
            }
        }
    }

    @Test func updateDeleteAndHistory() async throws {
        try await withStore { store in
            let r = try await store.add(
                AddRequest(messages: [Message(role: .user, text: "likes tea")], scope: Scope(userID: "u")), in: project)
            let id = try #require(r.results.first?.id)
            let updated = try await store.update(
                id: id, UpdateRequest(text: "likes coffee", metadata: ["v": 2]), in: project)
            #expect(updated.memory == "likes coffee")
            #expect(updated.metadata == ["v": 2])
            try await store.delete(id: id, in: project)
            let history = try await store.history(id: id, in: project)
            #expect(history.map(\.event) == [.add, .update, .delete])
            #expect(history[1].oldMemory == "likes tea")
            #expect(history[1].newMemory == "likes coffee")
            #expect(history[2].oldMemory == "likes coffee")
            await #expect(throws: MemoryStoreError.self) { try await store.get(id: id, in: project) }
            await #expect(throws: MemoryStoreError.self) { try await store.delete(id: id, in: project) }
        }
    }

    @Test func batchLimitsAndAtomicity() async throws {
        try await withStore { store in
            var ids: [String] = []
            for i in 0..<3 {
                let r = try await store.add(
                    AddRequest(messages: [Message(role: .user, text: "m\(i)")], scope: Scope(userID: "u")), in: project)
                ids.append(r.results[0].id!)
            }
            let tooMany = (0...1000).map { _ in BatchUpdateItem(memoryID: UUID().uuidString, text: "x") }
            await #expect(throws: MemoryStoreError.self) { try await store.batchUpdate(tooMany, in: project) }
            try await store.batchUpdate(ids.map { BatchUpdateItem(memoryID: $0, text: "new " + $0) }, in: project)
            #expect(try await store.get(id: ids[0], in: project).memory == "new " + ids[0])
            // One unknown id fails the whole batch delete and deletes nothing.
            let unknown = UUID().uuidString
            do {
                try await store.batchDelete([ids[0], unknown], in: project)
                Issue.record("expected a failure")
            } catch let e as MemoryStoreError {
                #expect(e.code == .notFound)
                #expect(e.path == "memories[1].memory_id")
            }
            #expect(try await store.getAll(filter: .userID("u"), in: project).count == 3)
            try await store.batchDelete(ids, in: project)
            #expect(try await store.getAll(filter: .userID("u"), in: project).count == 0)
        }
    }

    @Test func projectsAreIsolated() async throws {
        try await withStore { store in
            let other = ProjectContext(orgID: "o", projectID: "p")
            let r = try await store.add(
                AddRequest(messages: [Message(role: .user, text: "secret")], scope: Scope(userID: "u")), in: other)
            let id = try #require(r.results.first?.id)
            #expect(try await store.getAll(filter: .userID("u"), in: project).count == 0)
            await #expect(throws: MemoryStoreError.self) { try await store.get(id: id, in: project) }
            await #expect(throws: MemoryStoreError.self) { try await store.delete(id: id, in: project) }
            #expect(try await store.get(id: id, in: other).memory == "secret")
        }
    }

    @Test func paginationCountsAndRefusesPagesPastTheEnd() async throws {
        try await withStore { store in
            let messages = (0..<25).map { Message(role: .user, text: "fact \($0)") }
            _ = try await store.add(AddRequest(messages: messages, scope: Scope(userID: "u")), in: project)
            var seen: [String] = []
            for page in 1...3 {
                let p = try await store.getAll(filter: .userID("u"), page: page, pageSize: 10, in: project)
                #expect(p.count == 25)
                seen += p.results.map(\.memory)
            }
            #expect(seen == (0..<25).map { "fact \($0)" })
            do {
                _ = try await store.getAll(filter: .userID("u"), page: 4, pageSize: 10, in: project)
                Issue.record("expected invalid page")
            } catch let e as MemoryStoreError {
                #expect(e.code == .invalidPage)
                #expect(e.detail == "Invalid page.")
            }
            let empty = try await store.getAll(filter: .userID("nobody"), in: project)
            #expect(empty.count == 0 && empty.results.isEmpty)
            let clamped = try await store.getAll(filter: .userID("u"), pageSize: 5000, in: project)
            #expect(clamped.results.count == 25)
        }
    }

    @Test func entitiesCountAndDelete() async throws {
        try await withStore { store in
            _ = try await store.add(
                AddRequest(
                    messages: [Message(role: .user, text: "a"), Message(role: .user, text: "b")],
                    scope: Scope(userID: "alex")), in: project)
            _ = try await store.add(
                AddRequest(messages: [Message(role: .assistant, text: "c")], scope: Scope(agentID: "bot")), in: project)
            let list = try await store.entities(in: project)
            let alex = try #require(list.entities.first { $0.name == "alex" })
            #expect(alex.type == .user && alex.totalMemories == 2)
            #expect(list.entities.contains { $0.name == "bot" && $0.type == .agent && $0.totalMemories == 1 })
            #expect(try await store.deleteEntity(type: .user, name: "alex", in: project) == 2)
            #expect(try await store.entities(in: project).entities.map(\.name) == ["bot"])
            let bot = try await store.entities(in: project).entities[0]
            try await store.deleteEntity(type: .agent, numericID: Int64(bot.id)!, in: project)
            #expect(try await store.entities(in: project).entities.isEmpty)
            await #expect(throws: MemoryStoreError.self) {
                try await store.deleteEntity(type: .user, name: "ghost", in: project)
            }
        }
    }

    @Test func searchRanksByKeywordsWithTopKAndThreshold() async throws {
        try await withStore { store in
            let texts = [
                "Alice loves hiking in the Alps", "Alice likes tea", "Bob hikes", "hiking hiking hiking boots",
            ]
            _ = try await store.add(
                AddRequest(messages: texts.map { Message(role: .user, text: $0) }, scope: Scope(userID: "alice")),
                in: project)
            _ = try await store.add(
                AddRequest(messages: [Message(role: .user, text: "hiking elsewhere")], scope: Scope(userID: "bob")),
                in: project)
            let hits = try await store.search(
                MemorySearch(query: "hiking?", filter: .userID("alice"), topK: 10), in: project)
            // Porter stemming: "hiking" also finds "hikes"; tea is not a hit; bob's memory is out of scope.
            #expect(
                Set(hits.map(\.memory)) == [
                    "Alice loves hiking in the Alps", "hiking hiking hiking boots", "Bob hikes",
                ])
            #expect(hits.first?.memory == "hiking hiking hiking boots")
            #expect(hits.first?.score == 1)
            #expect(hits.allSatisfy { ($0.score ?? -1) >= 0 && ($0.score ?? 2) <= 1 })
            let one = try await store.search(
                MemorySearch(query: "hiking", filter: .userID("alice"), topK: 1), in: project)
            #expect(one.count == 1)
            let strict = try await store.search(
                MemorySearch(query: "hiking alps", filter: .userID("alice"), threshold: 0.99), in: project)
            #expect(strict.map(\.memory) == ["Alice loves hiking in the Alps"])
            #expect(try await store.search(MemorySearch(query: "?!", filter: nil), in: project).isEmpty)
            await #expect(throws: MemoryStoreError.self) {
                try await store.search(MemorySearch(query: "x", filter: nil, topK: 0), in: project)
            }
        }
    }

    @Test func importKeyLookupUsesTheIndex() async throws {
        try await TemporaryDirectory.with { dir in
            let path = dir.path("i.db")
            let store = try MemoryStore(path: path)
            _ = try await store.add(
                AddRequest(
                    messages: [Message(role: .user, text: "x")], scope: Scope(userID: "u"),
                    metadata: ["memport_import_key": "K1"]), in: project)
            let filter = try MemoryFilter.parse(["AND": [["user_id": "u"], ["metadata": ["memport_import_key": "K1"]]]])
            #expect(try await store.all(filter: filter, in: project).count == 1)
            let bare = try MemoryFilter.parse(["metadata": ["memport_import_key": "K1"]])
            let sql = FilterSQL(bare)
            let queue = try DatabaseQueue(path: path)
            let plan = try await queue.read { db in
                try Row.fetchAll(
                    db, sql: "EXPLAIN QUERY PLAN SELECT m.id FROM memories m WHERE m.project = 1 AND \(sql.sql)",
                    arguments: StatementArguments(sql.arguments)
                ).map { $0["detail"] as String }
            }
            #expect(plan.joined().contains("memories_import_key"), "plan: \(plan)")
        }
    }

    @Test func deleteAllByFilterAndReset() async throws {
        try await withStore { store in
            _ = try await store.add(
                AddRequest(messages: [Message(role: .user, text: "a")], scope: Scope(userID: "u1")), in: project)
            _ = try await store.add(
                AddRequest(messages: [Message(role: .user, text: "b")], scope: Scope(userID: "u2")), in: project)
            #expect(try await store.deleteAll(filter: .userID("u1"), in: project) == 1)
            #expect(try await store.getAll(filter: .userID("u2"), in: project).count == 1)
            try await store.reset(in: project)
            #expect(try await store.all(filter: nil, in: project).isEmpty)
            #expect(try await store.entities(in: project).entities.isEmpty)
        }
    }

    @Test func eventsReportTheAddResults() async throws {
        try await withStore { store in
            let r = try await store.add(
                AddRequest(messages: [Message(role: .user, text: "a")], scope: Scope(userID: "u")), in: project)
            let job = try await store.event(id: try #require(r.eventID), in: project)
            #expect(job.status == .succeeded)
            #expect(job.results?.first?.memory == "a")
            await #expect(throws: MemoryStoreError.self) { try await store.event(id: "nope", in: project) }
            // Texts that need escaping survive the event and history records written by hand.
            let tricky = "say \"hi\"\\ /x\r\n\t\u{1}é😀"
            var named = Message(role: .assistant, text: tricky)
            named.name = "n\"1"
            let both = try await store.add(
                AddRequest(
                    messages: [Message(role: .user, text: tricky), named],
                    scope: Scope(userID: "u", agentID: "a\\g", runID: "r")),
                in: project)
            let done = try await store.event(id: try #require(both.eventID), in: project)
            #expect(done.results?.map(\.memory) == [tricky, tricky])
            #expect(done.results?.map(\.scope) == both.results.map(\.scope))
            #expect(done.results?.map(\.id) == both.results.map(\.id))
            let history = try await store.history(id: try #require(both.results.last?.id), in: project)
            #expect(history.first?.input == [named])
        }
    }
}
