import Foundation
import MemoryAPI
import Pipeline
import TestSupport
import Testing

/// End-to-end runs of the `memport` binary against a real `memport serve`.
@Suite(.serialized) struct ImportCommandTests {
    /// Issue 6: the same import killed with SIGKILL at several random moments and re-run each
    /// time ends with the same exact set.
    @Test func killedAtRandomMomentsAndRerunEndsWithTheExactSet() async throws {
        try await TemporaryDirectory.with { dir in
            // 20 ms a call: a run from scratch takes longer than the first kill's delay, now that
            // transient faults no longer shrink the window and the import finishes in a second.
            let server = try await ServeProcess.start(arguments: [
                "--fault-rate", "0.2", "--fault-seed", "5", "--latency-ms", "20",
            ])
            defer { server.stop() }
            let expected = try EngineFixtures.chatLog(at: dir.path("chats.jsonl"), conversations: 300, messages: 20)
            let args = [
                "import", dir.path("chats.jsonl"), "--user-id", "dave", "--target", server.baseURL, "--state-dir",
                dir.path("state"), "--progress", "none", "--chunk-size", "40",
            ]
            let env = ["MEM0_API_KEY": server.apiKey]
            var generator = SystemRandomNumberGenerator()
            var kills = 0
            for _ in 0..<4 {
                let delay = Duration.milliseconds(Int.random(in: 100...700, using: &generator))
                let status = try await EngineFixtures.memport(
                    args, environment: env, directory: dir.url.path, killAfter: delay)
                if status == nil { kills += 1 }
            }
            var status: Int32? = 5
            var runs = 0
            while status != 0 && runs < 6 {
                status = try await EngineFixtures.memport(args, environment: env, directory: dir.url.path)
                runs += 1
            }
            #expect(status == 0)
            #expect(kills > 0, "at least one run was killed mid-flight")
            let memories = try await EngineFixtures.memories(inStore: server.databasePath)
            let problems = EngineFixtures.exactlyOnce(memories, expected: expected, messagesPerUnit: 20)
            #expect(problems.isEmpty, "\(problems)")
            // Re-running the finished job adds nothing.
            #expect(try await EngineFixtures.memport(args, environment: env, directory: dir.url.path) == 0)
            #expect(try await EngineFixtures.memories(inStore: server.databasePath).count == expected.count)
        }
    }

    @Test func aWrongKeyStopsWithExit4AndTheJobResumesOnceTheKeyIsRight() async throws {
        try await TemporaryDirectory.with { dir in
            let server = try await ServeProcess.start()
            defer { server.stop() }
            let expected = try EngineFixtures.chatLog(at: dir.path("chats.jsonl"), conversations: 50, messages: 3)
            let args = [
                "import", dir.path("chats.jsonl"), "--user-id", "erin", "--target", server.baseURL, "--state-dir",
                dir.path("state"), "--progress", "none",
            ]
            let wrong = try await EngineFixtures.memport(
                args, environment: ["MEM0_API_KEY": "not-the-key"], directory: dir.url.path)
            #expect(wrong == 4)
            let ledger = try Ledger(directory: URL(fileURLWithPath: dir.path("state")))
            let job = try #require(try await ledger.jobs().first)
            #expect(job.state == .stopped)
            // No secret reached the ledger or the state directory.
            let everything = try FileManager.default.subpathsOfDirectory(atPath: dir.path("state"))
            for file in everything {
                let data = FileManager.default.contents(atPath: dir.path("state") + "/" + file) ?? Data()
                #expect(!String(decoding: data, as: UTF8.self).contains("not-the-key"), "\(file)")
            }
            let resumed = try await EngineFixtures.memport(
                ["resume", job.id, "--state-dir", dir.path("state"), "--progress", "none"],
                environment: ["MEM0_API_KEY": server.apiKey], directory: dir.url.path)
            #expect(resumed == 0)
            let memories = try await EngineFixtures.memories(inStore: server.databasePath)
            #expect(EngineFixtures.exactlyOnce(memories, expected: expected, messagesPerUnit: 3).isEmpty)
        }
    }

    @Test func rejectsAreWrittenAndReplayAfterAFix() async throws {
        try await TemporaryDirectory.with { dir in
            let server = try await ServeProcess.start()
            defer { server.stop() }
            let dump = """
                [{"id": "a1", "memory": "Likes tea", "user_id": "fay", "created_at": "2024-05-01T10:00:00Z"},
                 {"id": "a2", "memory": "Visits Lisbon", "user_id": "fay", "expiration_date": "2030-02-30"},
                 {"id": "a3", "memory": "Reads novels", "user_id": "fay", "metadata": {"k": 1}}]
                """
            try dump.write(toFile: dir.path("dump.json"), atomically: true, encoding: .utf8)
            let args = [
                "import", dir.path("dump.json"), "--target", server.baseURL, "--state-dir", dir.path("state"),
                "--progress", "none", "--fail-on-rejects",
            ]
            let env = ["MEM0_API_KEY": server.apiKey]
            #expect(try await EngineFixtures.memport(args, environment: env, directory: dir.url.path) == 6)
            let ledger = try Ledger(directory: URL(fileURLWithPath: dir.path("state")))
            let job = try #require(try await ledger.jobs().first)
            let path = RejectsFile.path(stateDirectory: URL(fileURLWithPath: dir.path("state")), jobID: job.id)
            let attrs = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attrs[.posixPermissions] as? Int) == 0o600)
            let lines = try RejectsFile.read(path: path)
            #expect(lines.count == 1)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains("\"status\":400") && text.contains("Visits Lisbon") && text.contains("dump.json"))
            // The user fixes the date in the rejects file, then replays.
            try text.replacingOccurrences(of: "2030-02-30", with: "2030-02-28").write(
                toFile: path, atomically: true, encoding: .utf8)
            let replay = try await EngineFixtures.memport(
                ["rejects", job.id, "--replay", "--state-dir", dir.path("state"), "--progress", "none"],
                environment: env, directory: dir.url.path)
            #expect(replay == 0)
            #expect(!FileManager.default.fileExists(atPath: path), "no rejects are left")
            let memories = try await EngineFixtures.memories(inStore: server.databasePath)
            #expect(Set(memories.map(\.memory)) == ["Likes tea", "Visits Lisbon", "Reads novels"])
            #expect(memories.first { $0.memory == "Visits Lisbon" }?.expirationDate == "2030-02-28")
        }
    }

    /// Issue 6: SIGTERM checkpoints and exits 130; progress as JSON lines goes to stderr; resume finishes.
    @Test func sigtermCheckpointsExits130AndResumeFinishes() async throws {
        try await TemporaryDirectory.with { dir in
            let server = try await ServeProcess.start(arguments: ["--latency-ms", "30"])
            defer { server.stop() }
            let expected = try EngineFixtures.chatLog(at: dir.path("chats.jsonl"), conversations: 1000, messages: 2)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try ServeProcess.binaryPath())
            process.arguments = [
                "import", dir.path("chats.jsonl"), "--user-id", "hal", "--target", server.baseURL, "--state-dir",
                dir.path("state"), "--progress", "json", "--concurrency", "2",
            ]
            process.environment = ProcessInfo.processInfo.environment.merging(["MEM0_API_KEY": server.apiKey]) { $1 }
            let stderr = Pipe()
            process.standardError = stderr
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            try process.run()
            // SIGTERM once progress says the first units are confirmed (however loaded the
            // machine is): the JSON progress lines on stderr are read as they come.
            var errors = Data()
            while true {
                let chunk = stderr.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                errors.append(chunk)
                let confirmed = String(decoding: errors, as: UTF8.self).split(separator: "\n").compactMap {
                    (try? JSONValue.parse(String($0)))?["confirmed"]?.int64Value
                }
                if (confirmed.max() ?? 0) > 0 { break }
            }
            kill(process.processIdentifier, SIGTERM)
            errors.append(stderr.fileHandleForReading.readDataToEndOfFile())
            process.waitUntilExit()
            #expect(process.terminationStatus == 130)
            let lines = String(decoding: errors, as: UTF8.self).split(separator: "\n")
            let progress = lines.compactMap { try? JSONValue.parse(String($0)) }.filter { $0["confirmed"] != nil }
            #expect(!progress.isEmpty, "progress as JSON lines on stderr")
            let ledger = try Ledger(directory: URL(fileURLWithPath: dir.path("state")))
            let job = try #require(try await ledger.jobs().first)
            #expect(job.state == .interrupted)
            let before = try await EngineFixtures.memories(inStore: server.databasePath).count
            #expect(before > 0 && before < expected.count, "stopped part-way: \(before)")
            let resumed = try await EngineFixtures.memport(
                ["resume", job.id, "--state-dir", dir.path("state"), "--progress", "none"],
                environment: ["MEM0_API_KEY": server.apiKey], directory: dir.url.path)
            #expect(resumed == 0)
            let memories = try await EngineFixtures.memories(inStore: server.databasePath)
            #expect(EngineFixtures.exactlyOnce(memories, expected: expected, messagesPerUnit: 2).isEmpty)
        }
    }
}
