import Foundation
import MemoryAPI
import MemoryStore
import Pipeline
import TestSupport
import Testing

/// `memport import` on hostile inputs and outages (issue 12 item 7), through the binary.
@Suite(.serialized) struct ImportInputsTests {
    /// A FIFO is read once, like `-`: each record arrives once, and the job's total is the file's.
    @Test func aFIFOImportIntoTheEmbeddedTargetGivesEachRecordOnce() async throws {
        try await TemporaryDirectory.with { dir in
            let expected = try EngineFixtures.chatLog(at: dir.path("chats.jsonl"), conversations: 2000, messages: 2)
            let fifo = dir.path("chats.fifo")
            #expect(mkfifo(fifo, 0o600) == 0)
            let writer = Process()
            writer.executableURL = URL(fileURLWithPath: "/bin/sh")
            writer.arguments = ["-c", "cat \(dir.path("chats.jsonl")) > \(fifo)"]
            try writer.run()
            let run = try await CommandRun.memport(
                [
                    "import", fifo, "--user-id", "u", "--target", "embedded:" + dir.path("m.db"), "--state-dir",
                    dir.path("state"), "--progress", "none", "--chunk-size", "100",
                ], directory: dir.url.path)
            writer.waitUntilExit()
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("records 2000 "), "\(run.stdout)")
            #expect(run.stdout.contains("confirmed 2000 "), "\(run.stdout)")
            let memories = try await EngineFixtures.memories(inStore: dir.path("m.db"))
            #expect(EngineFixtures.exactlyOnce(memories, expected: expected, messagesPerUnit: 2).isEmpty)
        }
    }

    /// SIGTERM ends the process even while it waits in open() on a FIFO nobody writes to.
    @Test func sigtermEndsAnImportWaitingOnAFIFOWithNoWriter() async throws {
        try await TemporaryDirectory.with { dir in
            let fifo = dir.path("never.fifo")
            #expect(mkfifo(fifo, 0o600) == 0)
            let process = try EngineFixtures.command(
                [
                    "import", fifo, "--user-id", "u", "--target", "embedded:" + dir.path("m.db"), "--state-dir",
                    dir.path("state"), "--progress", "none",
                ], environment: [:], directory: dir.url.path)
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try process.run()
            // Long enough for the reader to be blocked in open(), waiting for a writer.
            try await Task.sleep(for: .milliseconds(2500))
            #expect(process.isRunning, "waiting for a writer")
            kill(process.processIdentifier, SIGTERM)
            var waited = 0
            while process.isRunning && waited < 250 {
                try await Task.sleep(for: .milliseconds(20))
                waited += 1
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            #expect(waited < 250, "SIGTERM did not end the process")
            process.waitUntilExit()
            #expect(process.terminationStatus == 130)
        }
    }

    /// A target that refuses connections fails at once with its cause, exit 5, nothing sent.
    @Test func aClosedPortFailsFastNamingTheCause() async throws {
        try await TemporaryDirectory.with { dir in
            _ = try EngineFixtures.chatLog(at: dir.path("chats.jsonl"), conversations: 50, messages: 2)
            // A port nothing listens on: bind one, note it, close it.
            let port = try Self.closedPort()
            let run = try await CommandRun.memport(
                [
                    "import", "chats.jsonl", "--user-id", "u", "--target", "http://127.0.0.1:\(port)", "--state-dir",
                    "state", "--progress", "none",
                ], environment: ["MEM0_API_KEY": "k"], directory: dir.url.path)
            #expect(run.status == 5, "\(run.stderr)")
            #expect(run.stderr.contains("connection refused"), "\(run.stderr)")
            #expect(run.stderr.contains("127.0.0.1:\(port)"), "\(run.stderr)")
        }
    }

    /// Inputs a directory walk leaves out are named: a symlinked folder, a FIFO.
    @Test func inputsSkippedInsideADirectoryAreNamed() async throws {
        try await TemporaryDirectory.with { dir in
            let fm = FileManager.default
            try fm.createDirectory(atPath: dir.path("in/sub"), withIntermediateDirectories: true)
            try fm.createDirectory(atPath: dir.path("elsewhere"), withIntermediateDirectories: true)
            _ = try EngineFixtures.chatLog(at: dir.path("in/sub/a.jsonl"), conversations: 2, messages: 1)
            _ = try EngineFixtures.chatLog(at: dir.path("elsewhere/b.jsonl"), conversations: 2, messages: 1, tag: "b")
            try fm.createSymbolicLink(atPath: dir.path("in/linked"), withDestinationPath: dir.path("elsewhere"))
            #expect(mkfifo(dir.path("in/pipe"), 0o600) == 0)
            for dry in [true, false] {
                let run = try await CommandRun.memport(
                    ["import", "in", "--user-id", "u", "--state-dir", "state", "--progress", "none"]
                        + (dry ? ["--dry-run"] : ["--target", "embedded:m.db"]), directory: dir.url.path)
                #expect(run.status == 0, "\(run.stderr)")
                #expect(run.stderr.contains("skipped in/linked: a symbolic link to a directory"), "\(run.stderr)")
                #expect(run.stderr.contains("skipped in/pipe: not a regular file"), "\(run.stderr)")
            }
            #expect(try await EngineFixtures.memories(inStore: dir.path("m.db")).count == 2)
        }
    }

    /// The summary ends with where the memories went and how to look at them; `jobs` counts
    /// record-level rejects as `status` does.
    @Test func theSummaryNamesWhereTheMemoriesWentAndJobsCountsRecordRejects() async throws {
        try await TemporaryDirectory.with { dir in
            try """
            {"messages": [{"role": "user", "content": "one"}]}
            {not json
            {"messages": [{"role": "user", "content": "two"}]}

            """.write(toFile: dir.path("a.jsonl"), atomically: true, encoding: .utf8)
            let run = try await CommandRun.memport(
                [
                    "import", "a.jsonl", "--user-id", "u", "--target", "embedded:m.db", "--state-dir", "state",
                    "--progress", "none",
                ],
                directory: dir.url.path)
            #expect(run.status == 0, "\(run.stderr)")
            let db = dir.url.appendingPathComponent("m.db").standardizedFileURL.path
            #expect(run.stdout.contains("memories in \(db)"), "\(run.stdout)")
            #expect(run.stdout.contains("memport export --target embedded:\(db) --output -"), "\(run.stdout)")
            #expect(run.stdout.contains("memport serve --db \(db)"), "\(run.stdout)")
            let jobs = try await CommandRun.memport(["jobs", "--state-dir", "state"], directory: dir.url.path)
            #expect(jobs.stdout.contains("2 delivered  1 rejected"), "\(jobs.stdout)")
            let status = try await CommandRun.memport(["status", "--state-dir", "state"], directory: dir.url.path)
            #expect(status.stdout.contains("invalid_json 1"), "\(status.stdout)")
        }
    }

    /// A full disk under the embedded target is named on stderr and by `status`, not only in
    /// the ledger. Needs a small tmpfs (root with CAP_SYS_ADMIN); elsewhere it checks nothing.
    @Test func aFullDiskOnTheEmbeddedTargetIsNamedOnStderrAndInStatus() async throws {
        try await TemporaryDirectory.with { dir in
            let mountPoint = dir.path("small")
            try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
            let mount = Process()
            mount.executableURL = URL(fileURLWithPath: "/bin/sh")
            mount.arguments = ["-c", "mount -t tmpfs -o size=600k tmpfs \(mountPoint) 2>/dev/null"]
            try mount.run()
            mount.waitUntilExit()
            guard mount.terminationStatus == 0 else { return }
            defer {
                let umount = Process()
                umount.executableURL = URL(fileURLWithPath: "/bin/sh")
                umount.arguments = ["-c", "umount \(mountPoint)"]
                try? umount.run()
                umount.waitUntilExit()
            }
            _ = try EngineFixtures.chatLog(at: dir.path("chats.jsonl"), conversations: 3000, messages: 2)
            let run = try await CommandRun.memport(
                [
                    "import", "chats.jsonl", "--user-id", "u", "--target", "embedded:" + mountPoint + "/m.db",
                    "--state-dir", "state", "--progress", "none",
                ], directory: dir.url.path)
            #expect(run.status == 5 || run.status == 1, "\(run.stdout) \(run.stderr)")
            #expect(run.stderr.contains("disk is full"), "\(run.stderr)")
            if run.status == 5 {
                let status = try await CommandRun.memport(["status", "--state-dir", "state"], directory: dir.url.path)
                #expect(status.stdout.contains("disk is full"), "\(status.stdout)")
            }
        }
    }

    /// A port with nothing listening on it.
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
