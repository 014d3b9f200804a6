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

    @Test func memoriesOfEveryChunkAreSearchableAndIdsAreTimeOrdered() async throws {
        try await TemporaryDirectory.with { dir in
            let store = try MemoryStore(path: dir.path("m.db"))
            var ids: [String] = []
            for chunk in 0..<3 {
                let requests = (0..<50).map { i in
                    AddRequest(
                        messages: [
                            Message(role: .user, text: "chunk\(chunk) item\(i) likes \(i % 2 == 0 ? "tea" : "coffee")")
                        ],
                        scope: Scope(userID: "u\(i % 3)"), infer: false)
                }
                for case .success(let r) in try await store.addMany(requests, in: .default) {
                    ids += r.results.compactMap(\.id)
                }
            }
            // A single add and a delete between bulk adds keep the full-text index consistent.
            _ = try await store.add(
                AddRequest(messages: [Message(role: .user, text: "single likes tea")], scope: Scope(userID: "u0")),
                in: .default)
            try await store.delete(id: ids[1], in: .default)
            let tea = try await store.search(
                MemorySearch(query: "tea", filter: nil, topK: 100), in: .default)
            #expect(tea.count == 76, "75 bulk memories and the single one mention tea")
            let coffee = try await store.search(
                MemorySearch(query: "coffee", filter: nil, topK: 100), in: .default)
            #expect(coffee.count == 74, "75 mention coffee, one was deleted")
            #expect(ids.count == 150 && Set(ids).count == 150)
            for id in ids {
                let hex = Array(id)
                #expect(id.count == 36 && hex[14] == "7" && "89ab".contains(hex[19]), "UUID version 7: \(id)")
                #expect(MemoryStore.isUUID(id))
            }
            let millis = ids.map { String($0.prefix(13)).replacingOccurrences(of: "-", with: "") }
            #expect(millis == millis.sorted(), "the timestamp prefix never goes back")
        }
    }

    @Test func aStorageErrorFailsOnlyItsCall() async throws {
        try await TemporaryDirectory.with { dir in
            let path = dir.path("m.db")
            let store = try MemoryStore(path: path)
            _ = try await store.add(
                AddRequest(messages: [Message(role: .user, text: "first")], scope: Scope(userID: "u")), in: .default)
            // A trigger makes one text fail inside SQLite, as a full disk or a constraint would.
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            shell.arguments = [
                path,
                "CREATE TRIGGER poison BEFORE INSERT ON memories WHEN new.memory = 'poison' "
                    + "BEGIN SELECT RAISE(ABORT, 'poisoned'); END;",
            ]
            try shell.run()
            shell.waitUntilExit()
            #expect(shell.terminationStatus == 0)
            let texts = ["a", "poison", "b"]
            let results = try await store.addMany(
                texts.map { AddRequest(messages: [Message(role: .user, text: $0)], scope: Scope(userID: "u")) },
                in: .default)
            #expect(results.map { (try? $0.get()) != nil } == [true, false, true])
            if case .failure(let e) = results[1] { #expect("\(e)".contains("poisoned")) }
            let all = try await store.all(filter: nil, in: .default)
            #expect(all.map(\.memory).sorted() == ["a", "b", "first"])
            let hits = try await store.search(MemorySearch(query: "b", filter: nil), in: .default)
            #expect(hits.map(\.memory) == ["b"], "the second pass indexes what it stored")
        }
    }

    @Test func preparedCallsApplyInTheOrderSelectedAtTheTimePrepared() async throws {
        try await TemporaryDirectory.with { dir in
            let prepared = Date(timeIntervalSince1970: 1_800_000_000)
            let clock = TestClock(prepared)
            let store = try MemoryStore(path: dir.path("m.db"), clock: { clock.read() })
            let requests = [
                // Every column the bulk path binds: ids of every kind, metadata, expiry,
                // immutability, non-ASCII text, an empty metadata string.
                AddRequest(
                    messages: [
                        Message(role: .user, text: "naïve café 🍵 \"quoted\"\n"),
                        Message(role: .assistant, text: "agent side"),
                    ],
                    scope: Scope(userID: "u", agentID: "a", appID: "app", runID: "r"),
                    metadata: ["empty": "", "n": 1.5], expirationDate: "2031-01-02", immutable: true),
                AddRequest(messages: [Message(role: .user, text: "x")], scope: Scope()),
                AddRequest(
                    messages: [Message(role: .user, text: "plain"), Message(role: .user, text: "plain")],
                    scope: Scope(userID: "u")),
            ]
            let ready = store.prepareAdds(requests)
            #expect(ready.count == 3)
            clock.set(prepared.addingTimeInterval(3600))
            let results = try await store.addMany(ready.selecting([2, 0]), in: .default)
            guard results.count == 2, case .success(let plain) = results[0], case .success(let full) = results[1]
            else {
                Issue.record("expected two successes in the selected order: \(results)")
                return
            }
            #expect(plain.results.map(\.event) == [.add, .noop], "the same text twice in one call is stored once")
            #expect(plain.results[0].id == plain.results[1].id)
            #expect(full.results.map(\.memory) == ["naïve café 🍵 \"quoted\"\n", "agent side"])
            let first = try await store.get(id: try #require(full.results[0].id), in: .default)
            #expect(first.scope == Scope(userID: "u", appID: "app", runID: "r"))
            #expect(first.metadata == ["empty": "", "n": 1.5])
            #expect(first.immutable == true && first.expirationDate == "2031-01-02")
            #expect(first.createdAt == prepared && first.updatedAt == prepared, "accepted when prepared")
            let second = try await store.get(id: try #require(full.results[1].id), in: .default)
            #expect(second.scope == Scope(agentID: "a", appID: "app", runID: "r"))
            let history = try await store.history(id: first.id, in: .default)
            #expect(history.count == 1)
            #expect(history.first?.event == .add && history.first?.newMemory == first.memory)
            #expect(history.first?.input == [Message(role: .user, text: first.memory)])
            #expect(history.first?.createdAt == prepared && history.first?.scope == first.scope)
            // The event's results, written ahead when every message is new and after when one is a NOOP.
            let allNew = try await store.event(id: try #require(full.eventID), in: .default)
            #expect(allNew.results == full.results && allNew.createdAt == prepared)
            let withNoop = try await store.event(id: try #require(plain.eventID), in: .default)
            #expect(withNoop.results == plain.results)
            let failed = try await store.addMany(ready.selecting([1]), in: .default)
            guard case .failure(let error) = failed.first else {
                Issue.record("a call without ids fails validation: \(failed)")
                return
            }
            #expect(error.status == 400)
        }
    }
}
