import Foundation
import MemoryAPI
import Pipeline
import Reading
import TestSupport
import Testing

/// One process per state directory: the lock itself, and two `memport` processes on one job.
@Suite(.serialized) struct StateLockTests {
    @Test func aSecondHolderIsRefusedNamingTheFirstThenTakesItOnceReleased() async throws {
        try await TemporaryDirectory.with { dir in
            let state = dir.url.appendingPathComponent("state")
            let first = try await StateLock.acquire(directory: state, command: "memport import a.jsonl", wait: false)
            let error = await #expect(throws: PipelineError.self) {
                _ = try await StateLock.acquire(directory: state, command: "memport import b.jsonl", wait: false)
            }
            #expect(error?.code == .stateLocked)
            #expect(error?.message.contains("pid \(getpid())") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("memport import a.jsonl") == true)
            let attrs = try FileManager.default.attributesOfItem(atPath: state.path)
            #expect((attrs[.posixPermissions] as? Int) == 0o700)
            first.release()
            // Waiting, briefly: a process another test spawns at this moment holds a copy of the
            // lock's descriptor from its fork until its exec closes it (O_CLOEXEC), and flock's
            // lock lives as long as any copy does (seen once in a full run under load).
            let second = try await StateLock.acquire(
                directory: state, command: "memport import b.jsonl", wait: true, pollInterval: .milliseconds(10))
            second.release()
        }
    }

    @Test func aWaitingHolderGetsTheLockWhenTheFirstLetsGo() async throws {
        try await TemporaryDirectory.with { dir in
            let state = dir.url.appendingPathComponent("state")
            let first = try await StateLock.acquire(directory: state, command: "first", wait: false)
            let waiter = Task {
                try await StateLock.acquire(
                    directory: state, command: "second", wait: true, pollInterval: .milliseconds(10))
            }
            try await Task.sleep(for: .milliseconds(100))
            first.release()
            let second = try await waiter.value
            second.release()
        }
    }

    @Test func waitingEndsWhenCancelled() async throws {
        try await TemporaryDirectory.with { dir in
            let state = dir.url.appendingPathComponent("state")
            let first = try await StateLock.acquire(directory: state, command: "first", wait: false)
            defer { first.release() }
            let waiter = Task {
                try await StateLock.acquire(
                    directory: state, command: "second", wait: true, pollInterval: .milliseconds(10))
            }
            waiter.cancel()
            await #expect(throws: CancellationError.self) { _ = try await waiter.value }
        }
    }

    /// Issue 12: two imports of one input into one state directory at once: the second is refused
    /// at once with exit 7 naming the holder, and sends nothing; `--wait` waits and then finds
    /// the job done. SIGKILL of the holder leaves no stale lock.
    @Test func twoProcessesOnOneJobTheSecondIsRefusedWithExit7AndSendsNothing() async throws {
        try await TemporaryDirectory.with { dir in
            // 300 calls two at a time at 60 ms each keep the holder busy for 9 s or more: time
            // enough for a second process to start on a loaded machine (at 20 ms the holder
            // once finished before the second was refused).
            let server = try await ServeProcess.start(arguments: ["--latency-ms", "60"])
            defer { server.stop() }
            let expected = try EngineFixtures.chatLog(at: dir.path("chats.jsonl"), conversations: 300, messages: 2)
            let args = [
                "import", dir.path("chats.jsonl"), "--user-id", "ivy", "--target", server.baseURL, "--state-dir",
                dir.path("state"), "--progress", "none", "--concurrency", "2", "--chunk-size", "20",
            ]
            let env = ["MEM0_API_KEY": server.apiKey]
            let holder = try EngineFixtures.command(args, environment: env, directory: dir.url.path)
            holder.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try holder.run()
            // Wait until the holder has written its pid into the lock file.
            let lockFile = dir.path("state") + "/lock"
            var waited = 0
            while !(FileManager.default.contents(atPath: lockFile).map {
                String(decoding: $0, as: UTF8.self).contains("pid: \(holder.processIdentifier)")
            } ?? false) {
                try await Task.sleep(for: .milliseconds(20))
                waited += 1
                #expect(waited < 500, "the holder never took the lock")
                if waited >= 500 { break }
            }
            let before = try await EngineFixtures.memories(inStore: server.databasePath).count
            let second = try await CommandRun.memport(args, environment: env, directory: dir.url.path)
            #expect(second.status == 7)
            #expect(second.stderr.contains("pid \(holder.processIdentifier)"), "\(second.stderr)")
            #expect(second.stderr.contains("memport import"), "\(second.stderr)")
            #expect(holder.isRunning, "the holder was still running when the second process was refused")
            // SIGKILL the holder: the next run takes the lock at once and finishes the job exactly once.
            kill(holder.processIdentifier, SIGKILL)
            holder.waitUntilExit()
            _ = before
            let next = try await CommandRun.memport(args, environment: env, directory: dir.url.path)
            #expect(next.status == 0, "\(next.stderr)")
            let memories = try await EngineFixtures.memories(inStore: server.databasePath)
            #expect(EngineFixtures.exactlyOnce(memories, expected: expected, messagesPerUnit: 2).isEmpty)
        }
    }

    /// With `--wait` two processes started at once on a new state directory take turns: no
    /// schema race, and the second finds the job already done.
    @Test func waitWaitsForTheHolderThenFindsNothingNew() async throws {
        try await TemporaryDirectory.with { dir in
            let server = try await ServeProcess.start(arguments: ["--latency-ms", "5"])
            defer { server.stop() }
            let expected = try EngineFixtures.chatLog(at: dir.path("chats.jsonl"), conversations: 60, messages: 2)
            let args = [
                "import", dir.path("chats.jsonl"), "--user-id", "ivy", "--target", server.baseURL, "--state-dir",
                dir.path("state"), "--progress", "none", "--concurrency", "2",
            ]
            let env = ["MEM0_API_KEY": server.apiKey]
            async let first = CommandRun.memport(args + ["--wait"], environment: env, directory: dir.url.path)
            async let second = CommandRun.memport(args + ["--wait"], environment: env, directory: dir.url.path)
            let (a, b) = try await (first, second)
            #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
            #expect(!a.stderr.contains("table job already exists") && !b.stderr.contains("already exists"))
            let memories = try await EngineFixtures.memories(inStore: server.databasePath)
            #expect(EngineFixtures.exactlyOnce(memories, expected: expected, messagesPerUnit: 2).isEmpty)
        }
    }

    /// Concurrent first use of a new state directory never races the schema.
    @Test func concurrentFirstOpensOfANewLedgerShareOneSchema() async throws {
        try await TemporaryDirectory.with { dir in
            let state = dir.url.appendingPathComponent("fresh")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask { _ = try Ledger(directory: state) }
                }
                try await group.waitForAll()
            }
            #expect(try await Ledger(directory: state).jobs().isEmpty)
        }
    }
}
