import Foundation
import GRDB
import MemoryAPI
import TestSupport
import Testing

@testable import MemoryStore

/// Counts the store's committed write transactions.
final class CommitCounter: TransactionObserver, @unchecked Sendable {
    // @unchecked: `count` is only touched under `lock`.
    private let lock = NSLock()
    private var count = 0
    var commits: Int { lock.withLock { count } }
    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) { lock.withLock { count += 1 } }
    func databaseDidRollback(_ db: Database) {}
}

@Suite struct MemoryStoreGroupCommitTests {
    static func add(_ text: String, user: String = "u") -> AddRequest {
        AddRequest(messages: [Message(role: .user, text: text)], scope: Scope(userID: user))
    }

    @Test func concurrentAddsShareTransactionsAndEachGetsItsOwnAnswer() async throws {
        try await TemporaryDirectory.with { dir in
            let store = try MemoryStore(path: dir.path("m.db"))
            let counter = CommitCounter()
            try await store.pool.write { db in db.add(transactionObserver: counter, extent: .databaseLifetime) }
            let other = ProjectContext(orgID: "o", projectID: "p")
            let answers = try await withThrowingTaskGroup(of: (Int, AddResponse).self) { group in
                for i in 0..<200 {
                    group.addTask {
                        (i, try await store.add(Self.add("fact \(i)"), in: i % 4 == 0 ? other : .default))
                    }
                }
                var out: [Int: AddResponse] = [:]
                for try await (i, answer) in group { out[i] = answer }
                return out
            }
            #expect(answers.count == 200)
            for (i, answer) in answers {
                #expect(answer.results.map(\.memory) == ["fact \(i)"] && answer.results.first?.event == .add)
                let id = try #require(answer.results.first?.id)
                let stored = try await store.get(id: id, in: i % 4 == 0 ? other : .default)
                #expect(stored.memory == "fact \(i)")
                let event = try await store.event(id: try #require(answer.eventID), in: i % 4 == 0 ? other : .default)
                #expect(event.results == answer.results)
            }
            #expect(try await store.all(filter: nil, in: .default).count == 150)
            #expect(try await store.all(filter: nil, in: other).count == 50)
            let hits = try await store.search(MemorySearch(query: "fact", filter: nil, topK: 200), in: .default)
            #expect(hits.count == 150, "every batch indexes what it stored")
            #expect(counter.commits < 200, "calls that wait for the writer share its next transaction")
        }
    }

    @Test func theSameTextAddedAtOnceIsStoredOnce() async throws {
        try await TemporaryDirectory.with { dir in
            let store = try MemoryStore(path: dir.path("m.db"))
            let answers = try await withThrowingTaskGroup(of: AddResponse.self) { group in
                for _ in 0..<50 { group.addTask { try await store.add(Self.add("likes tea"), in: .default) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let events = answers.compactMap(\.results.first)
            #expect(events.filter { $0.event == .add }.count == 1)
            #expect(events.filter { $0.event == .noop }.count == 49)
            #expect(Set(events.map(\.id)).count == 1, "every NOOP names the memory that was stored")
            #expect(try await store.all(filter: nil, in: .default).count == 1)
        }
    }

    @Test func aCallThatFailsInSQLiteFailsAloneAmongConcurrentCalls() async throws {
        try await TemporaryDirectory.with { dir in
            let store = try MemoryStore(path: dir.path("m.db"))
            try await store.pool.write { db in
                try db.execute(
                    sql: """
                        CREATE TRIGGER poison BEFORE INSERT ON memories WHEN new.memory = 'poison'
                        BEGIN SELECT RAISE(ABORT, 'poisoned'); END
                        """)
            }
            let texts = (0..<40).map { $0 == 17 ? "poison" : "fine \($0)" }
            let outcomes = await withTaskGroup(of: (String, Result<AddResponse, any Error>).self) { group in
                for text in texts {
                    group.addTask {
                        do {
                            return (text, .success(try await store.add(Self.add(text), in: .default)))
                        } catch {
                            return (text, .failure(error))
                        }
                    }
                }
                return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            for (text, outcome) in outcomes {
                switch outcome {
                case .success(let answer):
                    #expect(text != "poison" && answer.results.first?.memory == text)
                case .failure(let error):
                    #expect(text == "poison" && "\(error)".contains("poisoned"))
                }
            }
            let stored = try await store.all(filter: nil, in: .default).map(\.memory)
            #expect(Set(stored) == Set(texts.filter { $0 != "poison" }))
        }
    }

    @Test func otherWritesQueuedWhileAddsWaitAreNotLostOrStarved() async throws {
        try await TemporaryDirectory.with { dir in
            let store = try MemoryStore(path: dir.path("m.db"))
            try await store.pool.write { db in try db.execute(sql: "CREATE TABLE marks (n INTEGER)") }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<300 {
                    group.addTask {
                        let answer = try await store.add(Self.add("fact \(i)"), in: .default)
                        #expect(answer.results.map(\.memory) == ["fact \(i)"])
                    }
                    if i % 10 == 0 {
                        group.addTask {
                            try await store.pool.write { db in
                                try db.execute(sql: "INSERT INTO marks VALUES (?)", arguments: [i])
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.all(filter: nil, in: .default).count == 300)
            #expect(try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM marks") } == 30)
            // The queue drained: a later add is answered on its own.
            let last = try await store.add(Self.add("after"), in: .default)
            #expect(last.results.first?.event == .add)
        }
    }
}
