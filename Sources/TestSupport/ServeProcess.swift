import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A `memport serve --port 0` child process for tests and benchmarks: it launches the built
/// binary, reads the base URL from its first stdout line, and stops it with SIGTERM.
///
/// ```swift
/// let server = try await ServeProcess.start(arguments: ["--fault-rate", "0.2"])
/// defer { server.stop() }
/// // talk to server.baseURL with "Authorization: Token \(server.apiKey)"
/// ```
///
/// The binary is `MEMPORT_BIN` when set, else `memport` beside the running test binary, else
/// `.build/debug/memport` under the current directory.
public final class ServeProcess: @unchecked Sendable {
    // @unchecked: `Process` is not Sendable; every access to it goes through `lock`.
    private let process: Process
    private let lock = NSLock()
    /// `http://127.0.0.1:PORT`.
    public let baseURL: String
    /// The first API key the server accepts.
    public let apiKey: String
    /// The database file, kept after ``stop()`` unless it lives in ``directory``.
    public let databasePath: String
    /// The temp directory made for the database when none was given; removed by ``stop()``.
    public let directory: TemporaryDirectory?
    /// What the server wrote to stderr, collected in a file.
    public let stderrPath: String

    private init(
        process: Process, baseURL: String, apiKey: String, databasePath: String, directory: TemporaryDirectory?,
        stderrPath: String
    ) {
        self.process = process
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.databasePath = databasePath
        self.directory = directory
        self.stderrPath = stderrPath
    }

    /// Why a server did not start.
    public struct StartError: Error, CustomStringConvertible {
        /// The reason, with the server's stderr.
        public var description: String
    }

    /// The `memport` binary to launch.
    public static func binaryPath() throws -> String {
        let env = ProcessInfo.processInfo.environment
        if let bin = env["MEMPORT_BIN"], !bin.isEmpty { return bin }
        var candidates: [String] = []
        if let exe = Bundle.main.executableURL {
            candidates.append(exe.deletingLastPathComponent().appendingPathComponent("memport").path)
            // Inside a macOS .xctest bundle: .../debug/X.xctest/Contents/MacOS/X
            candidates.append(
                exe.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                    .deletingLastPathComponent().appendingPathComponent("memport").path)
        }
        let cwd = FileManager.default.currentDirectoryPath
        candidates += [cwd + "/.build/debug/memport", cwd + "/.build/release/memport"]
        for c in candidates where FileManager.default.isExecutableFile(atPath: c) { return c }
        throw StartError(description: "no memport binary found (build it, or set MEMPORT_BIN); looked at \(candidates)")
    }

    /// Starts `memport serve --port 0`.
    ///
    /// - Parameters:
    ///   - database: the SQLite file; nil makes one in a fresh temp directory.
    ///   - apiKeys: `--api-key` values (`KEY` or `KEY=org/project`); the first is ``apiKey``.
    ///   - arguments: more flags, e.g. `["--fault-rate", "0.3", "--fault-seed", "7", "--latency-ms", "20"]`.
    ///   - environment: extra environment variables for the child.
    ///   - timeout: how long to wait for the base URL.
    public static func start(
        database: String? = nil, apiKeys: [String] = ["test-key"], arguments: [String] = [],
        environment: [String: String] = [:], timeout: Duration = .seconds(60)
    ) async throws -> ServeProcess {
        var directory: TemporaryDirectory?
        let db: String
        if let database {
            db = database
        } else {
            let made = try TemporaryDirectory(prefix: "memport-serve")
            directory = made
            db = made.path("memport.db")
        }
        let stderrPath =
            (directory?.url.path ?? FileManager.default.temporaryDirectory.path)
            + "/serve-\(UUID().uuidString.prefix(8)).stderr"
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binaryPath())
        var args = ["serve", "--db", db, "--host", "127.0.0.1", "--port", "0"]
        for key in apiKeys { args += ["--api-key", key] }
        process.arguments = args + arguments
        var env = ProcessInfo.processInfo.environment
        env["MEMPORT_API_KEYS"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        try process.run()
        let firstLine = try await readLine(stdout.fileHandleForReading, timeout: timeout)
        guard let url = firstLine, url.hasPrefix("http") else {
            process.terminate()
            process.waitUntilExit()
            let err = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
            throw StartError(description: "memport serve did not print its URL (got \(firstLine ?? "nothing")): \(err)")
        }
        let secret = String(apiKeys.first?.split(separator: "=").first ?? "")
        return ServeProcess(
            process: process, baseURL: url, apiKey: secret, databasePath: db, directory: directory,
            stderrPath: stderrPath)
    }

    /// Reads one line from a pipe on a background thread, giving up after `timeout`.
    static func readLine(_ handle: FileHandle, timeout: Duration) async throws -> String? {
        try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    Thread.detachNewThread {
                        var bytes: [UInt8] = []
                        while true {
                            let chunk = handle.readData(ofLength: 1)
                            if chunk.isEmpty || chunk.first == 0x0A { break }
                            bytes.append(chunk[chunk.startIndex])
                        }
                        continuation.resume(returning: bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self))
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// The child's process id.
    public var pid: Int32 { lock.withLock { process.processIdentifier } }

    /// Whether the child is still running.
    public var isRunning: Bool { lock.withLock { process.isRunning } }

    /// Sends a signal (SIGTERM by default) and waits for the exit; returns the exit status.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM) -> Int32 {
        lock.withLock {
            if process.isRunning { kill(process.processIdentifier, signal) }
            process.waitUntilExit()
            directory?.remove()
            return process.terminationStatus
        }
    }

    /// Runs `body` with a started server and stops it afterwards.
    public static func with<T>(
        apiKeys: [String] = ["test-key"], arguments: [String] = [], _ body: (ServeProcess) async throws -> T
    ) async throws -> T {
        let server = try await start(apiKeys: apiKeys, arguments: arguments)
        defer { server.stop() }
        return try await body(server)
    }
}
