import Foundation
import MemoryAPI
import MemoryStore
import Pipeline
import TestSupport

/// Inputs and read-backs shared by the engine tests: generated chat logs with unique texts, and
/// the memories a target ends up holding.
enum EngineFixtures {
    /// An OpenAI-format JSONL of `conversations` × `messages` user turns, each text unique.
    static func chatLog(at path: String, conversations: Int, messages: Int, tag: String = "m") throws -> Set<String> {
        var texts: Set<String> = []
        var out = ""
        for c in 0..<conversations {
            var turns: [JSONValue] = []
            for m in 0..<messages {
                let text = "\(tag) conversation \(c) message \(m): remember item \(c * messages + m)"
                texts.insert(text)
                turns.append(["role": "user", "content": .string(text)])
            }
            out += JSONValue.object(["id": .string("c\(c)"), "messages": .array(turns)]).jsonString() + "\n"
        }
        try out.write(toFile: path, atomically: true, encoding: .utf8)
        return texts
    }

    /// Every memory in a store file's default project.
    static func memories(inStore path: String) async throws -> [Memory] {
        let store = try MemoryStore(path: path)
        return try await store.all(filter: nil, showExpired: true, limit: 10_000_000, in: .default)
    }

    /// Checks exactly-once delivery: every expected text once, nothing else, and each import
    /// key on exactly the memories of its own unit.
    static func exactlyOnce(_ memories: [Memory], expected: Set<String>, messagesPerUnit: Int) -> [String] {
        var problems: [String] = []
        if memories.count != expected.count {
            problems.append("\(memories.count) memories, expected \(expected.count)")
        }
        let texts = memories.map(\.memory)
        if Set(texts) != expected { problems.append("the texts differ from the input") }
        let duplicates = Dictionary(grouping: texts, by: { $0 }).filter { $0.value.count > 1 }
        if !duplicates.isEmpty { problems.append("\(duplicates.count) texts stored more than once") }
        let byKey = Dictionary(grouping: memories) { $0.metadata?[MemoryFilter.importKeyField]?.stringValue ?? "-" }
        if byKey["-"] != nil { problems.append("\(byKey["-"]!.count) memories without an import key") }
        let wrong = byKey.filter { $0.key != "-" && $0.value.count != messagesPerUnit }
        if !wrong.isEmpty { problems.append("\(wrong.count) import keys on a wrong number of memories") }
        return problems
    }

    /// The built `memport` binary set up to run `arguments` in `directory`, with `environment`
    /// over this process's, and standard output discarded.
    static func command(_ arguments: [String], environment: [String: String], directory: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ServeProcess.binaryPath())
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        return process
    }

    /// Runs the built `memport` binary and returns its exit status, or nil when killed by a signal.
    static func memport(
        _ arguments: [String], environment: [String: String] = [:], directory: String,
        killAfter: Duration? = nil
    ) async throws -> Int32? {
        let process = try command(arguments, environment: environment, directory: directory)
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        if let killAfter { KillTimer.kill(process.processIdentifier, after: killAfter) }
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        return process.terminationReason == .uncaughtSignal ? nil : process.terminationStatus
    }

    /// Runs memport and SIGKILLs it as soon as `ready` holds (polled every few milliseconds), so
    /// a kill lands mid-run however fast the machine is; nil when it was killed. Its standard
    /// error goes to `stderrPath`.
    static func memport(
        _ arguments: [String], environment: [String: String] = [:], directory: String, stderrPath: String,
        killWhen ready: @escaping @Sendable () -> Bool
    ) async throws -> Int32? {
        let process = try command(arguments, environment: environment, directory: directory)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        try process.run()
        // Watched from a thread of its own: with the cooperative pool busy with other tests, a
        // task polling here could first run after the process had already finished.
        let pid = process.processIdentifier
        let watcher = Thread {
            while kill(pid, 0) == 0 {
                if ready() {
                    kill(pid, SIGKILL)
                    return
                }
                usleep(2_000)
            }
        }
        watcher.start()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        return process.terminationReason == .uncaughtSignal ? nil : process.terminationStatus
    }

    /// The size of a file in bytes, 0 when it does not exist.
    static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}
