import Foundation
import MemoryAPI
import Pipeline
import TestSupport
import Testing

@Suite(.serialized) struct ImportJobTests {
    @Test func embeddedImportIsExactlyOnceAndARerunAddsNothing() async throws {
        try await TemporaryDirectory.with { dir in
            let expected = try EngineFixtures.chatLog(at: dir.path("chats.jsonl"), conversations: 120, messages: 5)
            var spec = PipelineSpec(sources: [dir.path("chats.jsonl")], target: .embedded(path: dir.path("m.db")))
            spec.scope = Scope(userID: "alice")
            spec.chunkSize = 50
            let job = ImportJob(stateDirectory: dir.url.appendingPathComponent("state"))
            let first = try await job.run(spec)
            #expect(first.state == .finished && first.progress.confirmed == 120 && first.progress.units == 120)
            let memories = try await EngineFixtures.memories(inStore: dir.path("m.db"))
            #expect(EngineFixtures.exactlyOnce(memories, expected: expected, messagesPerUnit: 5).isEmpty)
            #expect(memories.allSatisfy { $0.scope.userID == "alice" })

            let again = try await job.run(spec)
            #expect(again.nothingNew && again.progress.confirmed == 0 && again.progress.skippedExisting == 120)
            #expect(try await EngineFixtures.memories(inStore: dir.path("m.db")).count == expected.count)

            // A fresh state directory knows nothing of the first run: the target answers NOOP for
            // every text it holds, and the run says so instead of counting them delivered.
            let fresh = try await ImportJob(stateDirectory: dir.url.appendingPathComponent("fresh")).run(spec)
            #expect(fresh.state == .finished && fresh.progress.confirmed == 0, "\(fresh.progress)")
            #expect(fresh.progress.skippedExisting == 120, "\(fresh.progress)")
            #expect(try await EngineFixtures.memories(inStore: dir.path("m.db")).count == expected.count)
        }
    }

    @Test func anotherJobToTheSameTargetSkipsWhatWasDelivered() async throws {
        try await TemporaryDirectory.with { dir in
            _ = try EngineFixtures.chatLog(at: dir.path("chats.jsonl"), conversations: 30, messages: 2)
            var spec = PipelineSpec(sources: [dir.path("chats.jsonl")], target: .embedded(path: dir.path("m.db")))
            spec.scope = Scope(userID: "bob")
            let job = ImportJob(stateDirectory: dir.url.appendingPathComponent("state"))
            _ = try await job.run(spec)
            // The same input under a different chunk size and concurrency is the same job.
            spec.chunkSize = 7
            spec.concurrency = 3
            let same = try await job.run(spec)
            #expect(same.nothingNew)
            // Another adapter option makes another job with other units (one message each); the
            // target answers NOOP for texts it holds, so nothing is stored twice.
            spec.maxMessages = 1
            let other = try await job.run(spec)
            #expect(other.jobID != same.jobID && other.progress.units == 60 && other.state == .finished)
            #expect(other.progress.skippedExisting == 60 && other.progress.confirmed == 0, "\(other.progress)")
            #expect(try await EngineFixtures.memories(inStore: dir.path("m.db")).count == 60)
        }
    }

    /// Issue 6: against `memport serve --fault-rate 0.2`, a 20,000-message import ends with exactly
    /// 20,000 memories, each import key once.
    @Test func twentyThousandMessagesThroughFaultsArriveExactlyOnce() async throws {
        try await TemporaryDirectory.with { dir in
            let server = try await ServeProcess.start(arguments: ["--fault-rate", "0.2", "--fault-seed", "11"])
            defer { server.stop() }
            let expected = try EngineFixtures.chatLog(at: dir.path("chats.jsonl"), conversations: 400, messages: 50)
            var spec = PipelineSpec(sources: [dir.path("chats.jsonl")], target: try TargetSpec(server.baseURL))
            spec.scope = Scope(userID: "carol")
            spec.concurrency = 8
            let job = ImportJob(
                stateDirectory: dir.url.appendingPathComponent("state"),
                environment: ["MEM0_API_KEY": server.apiKey])
            var summary = try await job.run(spec)
            var runs = 1
            while summary.state == .incomplete && runs < 5 {
                summary = try await job.run(spec)
                runs += 1
            }
            #expect(summary.state == .finished, "\(summary.progress)")
            #expect(summary.progress.retries > 0, "faults were injected, so the client retried")
            let memories = try await EngineFixtures.memories(inStore: server.databasePath)
            let problems = EngineFixtures.exactlyOnce(memories, expected: expected, messagesPerUnit: 50)
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    /// Adds the target queues (v3 with infer) are submitted, then confirmed by polling their job.
    @Test func queuedAddsAreConfirmedByPollingTheirJob() async throws {
        try await TemporaryDirectory.with { dir in
            let server = try await ServeProcess.start()
            defer { server.stop() }
            let expected = try EngineFixtures.chatLog(at: dir.path("chats.jsonl"), conversations: 20, messages: 3)
            var spec = PipelineSpec(sources: [dir.path("chats.jsonl")], target: try TargetSpec(server.baseURL))
            spec.scope = Scope(userID: "gil")
            spec.infer = true
            let job = ImportJob(
                stateDirectory: dir.url.appendingPathComponent("state"),
                environment: ["MEM0_API_KEY": server.apiKey])
            let summary = try await job.run(spec)
            #expect(summary.state == .finished && summary.progress.confirmed == 20)
            let ledger = try Ledger(directory: dir.url.appendingPathComponent("state"))
            let units = try await ledger.units(jobID: summary.jobID, keys: [])
            #expect(units.isEmpty)
            #expect(try await ledger.counts(jobID: summary.jobID) == [.confirmed: 20])
            let memories = try await EngineFixtures.memories(inStore: server.databasePath)
            #expect(EngineFixtures.exactlyOnce(memories, expected: expected, messagesPerUnit: 3).isEmpty)

            // From a fresh state directory every job finishes with NOOPs only: already there.
            let fresh = try await ImportJob(
                stateDirectory: dir.url.appendingPathComponent("fresh"),
                environment: ["MEM0_API_KEY": server.apiKey]
            ).run(spec)
            #expect(fresh.progress.skippedExisting == 20 && fresh.progress.confirmed == 0, "\(fresh.progress)")
            #expect(try await EngineFixtures.memories(inStore: server.databasePath).count == memories.count)
        }
    }
}
