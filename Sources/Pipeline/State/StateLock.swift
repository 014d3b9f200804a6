import Foundation
import Reading
import Synchronization

/// One process per state directory: every command that writes into a state directory (import,
/// run, resume, rejects --replay, restore, migrate, export, backup) holds this lock from before
/// it opens the ledger until it exits.
///
/// The lock is `flock(2)` on `<state-dir>/lock`, held by an open descriptor, so the kernel
/// releases it when the holder exits or dies (a SIGKILL leaves nothing stale). The holder writes
/// its pid and command into the file, so a second process can say who holds it.
///
/// ```swift
/// let lock = try await StateLock.acquire(directory: state, command: "memport import chats.jsonl", wait: false)
/// defer { lock.release() }
/// ```
public final class StateLock: Sendable {
    /// Who holds a state directory, as the holder wrote it.
    public struct Holder: Sendable, Hashable, CustomStringConvertible {
        /// The holder's process id.
        public var pid: Int32?
        /// The holder's command line.
        public var command: String?
        /// When it took the lock (ISO 8601).
        public var since: String?

        /// `pid 1234 (memport import chats.jsonl), since 2026-12-01T19:00:00Z`.
        public var description: String {
            var text = pid.map { "pid \($0)" } ?? "a process that has not said who it is"
            if let command { text += " (\(command))" }
            if let since { text += ", since \(since)" }
            return text
        }

        /// Parses the lock file's `key: value` lines.
        init(parsing text: String) {
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2 else { continue }
                switch parts[0] {
                case "pid": pid = Int32(parts[1])
                case "command": command = parts[1]
                case "since": since = parts[1]
                default: break
                }
            }
        }
    }

    /// The state directory.
    public let directory: URL
    /// The lock file.
    public var path: String { directory.appendingPathComponent(Self.fileName).path }
    /// The lock file's name inside the state directory.
    public static let fileName = "lock"

    private let file: Mutex<FileLock?>

    private init(directory: URL, file: sending FileLock) {
        self.directory = directory
        self.file = Mutex(file)
    }

    deinit { release() }

    /// Takes the state directory's lock, creating the directory (mode 0700) when needed.
    ///
    /// - Parameters:
    ///   - command: what the holder is doing, shown to a process that finds the lock taken.
    ///   - wait: wait for the holder to finish instead of failing at once.
    ///   - pollInterval: how often a waiting process tries again.
    /// - Throws: `PipelineError` `.stateLocked` naming the holder's pid and command when another
    ///   process holds the lock and `wait` is false; `CancellationError` when cancelled while
    ///   waiting; `.ledger` when the lock file cannot be made.
    public static func acquire(
        directory: URL, command: String, wait: Bool, pollInterval: Duration = .milliseconds(100)
    ) async throws -> StateLock {
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw PipelineError(.ledger, "cannot create the state directory \(directory.path): \(error)")
        }
        let file = try FileLock(path: directory.appendingPathComponent(fileName).path)
        while try !file.tryLock() {
            guard wait else {
                let holder = Self.holder(file)
                throw PipelineError(
                    .stateLocked,
                    "another memport process holds the state directory \(directory.path): \(holder); "
                        + "let it finish (or stop it), or pass --wait to wait for it")
            }
            try await Task.sleep(for: pollInterval)
        }
        let since = ISO8601DateFormatter().string(from: Date())
        file.write("pid: \(getpid())\ncommand: \(command)\nsince: \(since)\n")
        return StateLock(directory: directory, file: file)
    }

    /// Who holds the lock now, as written in the lock file (nil fields when unknown).
    static func holder(_ file: FileLock) -> Holder {
        // The holder truncates, then writes: read again if the file is caught empty.
        for _ in 0..<3 {
            let holder = Holder(parsing: file.read())
            if holder.pid != nil { return holder }
            usleep(20_000)
        }
        return Holder(parsing: "")
    }

    /// Releases the lock (also done when the process exits, however it exits).
    public func release() {
        file.withLock { lock in
            lock?.close()
            lock = nil
        }
    }
}
