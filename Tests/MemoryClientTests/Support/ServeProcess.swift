import Foundation

/// A `memport serve` child process on a free loopback port, for the client's integration tests.
///
/// It runs the documented command line — `memport serve --db PATH --port 0 --api-key KEY
/// --fault-rate F --fault-seed S --latency-ms N` — and reads the base URL from the first line
/// of its standard output. The binary is `$MEMPORT_BIN`, or `.build/debug/memport` of this
/// package (built by `swift build`/`swift test`).
///
/// `@unchecked Sendable` because its only mutable state, the process, is set once in `start`
/// and then only terminated.
final class ServeProcess: @unchecked Sendable {
    let baseURL: String
    let directory: URL
    private let process: Process

    private init(baseURL: String, directory: URL, process: Process) {
        self.baseURL = baseURL
        self.directory = directory
        self.process = process
    }

    struct LaunchError: Error, CustomStringConvertible {
        var description: String
    }

    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["MEMPORT_BIN"] { return URL(fileURLWithPath: path) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/memport")
    }

    /// Starts a server and waits (up to 60 s) for its base URL.
    static func start(
        apiKey: String, faultRate: Double = 0, faultSeed: UInt64 = 1, latencyMS: Int = 0, project: String? = nil
    ) async throws
        -> ServeProcess
    {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("memport-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw LaunchError(description: "no memport binary at \(binary.path); run `swift build` first")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = [
            "serve", "--db", dir.appendingPathComponent("serve.db").path, "--port", "0", "--api-key",
            project.map { "\(apiKey)=\($0)" } ?? apiKey,
            "--fault-rate", String(faultRate), "--fault-seed", String(faultSeed), "--latency-ms", String(latencyMS),
        ]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        let firstLine = FirstLine()
        out.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                firstLine.finish(nil)
            } else {
                firstLine.feed(data)
            }
        }
        try process.run()
        let line = await firstLine.wait(timeout: 60)
        guard let line, line.hasPrefix("http") else {
            process.terminate()
            throw LaunchError(description: "memport serve printed no base URL (got \(line ?? "nothing"))")
        }
        return ServeProcess(baseURL: line, directory: dir, process: process)
    }

    /// Stops the server and removes its files.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Collects standard output until the first newline and hands that line to one waiter.
///
/// `@unchecked Sendable` because every access to its state holds `lock`.
private final class FirstLine: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = Data()
    private var result: String??
    private var waiter: CheckedContinuation<String?, Never>?

    func feed(_ data: Data) {
        lock.lock()
        guard result == nil else {
            lock.unlock()
            return
        }
        buffer.append(data)
        guard let nl = buffer.firstIndex(of: 0x0A) else {
            lock.unlock()
            return
        }
        let line = String(decoding: buffer[..<nl], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        lock.unlock()
        finish(line)
    }

    func finish(_ line: String?) {
        lock.lock()
        guard result == nil else {
            lock.unlock()
            return
        }
        result = .some(line)
        let w = waiter
        waiter = nil
        lock.unlock()
        w?.resume(returning: line)
    }

    func wait(timeout: Double) async -> String? {
        Task {
            try? await Task.sleep(for: .seconds(timeout))
            self.finish(nil)
        }
        return await withCheckedContinuation { c in
            lock.lock()
            if let result {
                lock.unlock()
                c.resume(returning: result)
            } else {
                waiter = c
                lock.unlock()
            }
        }
    }
}
