import ArgumentParser
import Foundation
import MemoryAPI
import Pipeline
import Reading
import Synchronization

/// Runs a job for a command: one process per state directory, Ctrl-C and SIGTERM checkpoint
/// it, progress goes to stderr, the summary to stdout, and the outcome becomes one of DESIGN's
/// exit codes.
enum JobRunner {
    /// Runs `body` holding the state directory's lock and exits with the code its summary calls for.
    static func execute(
        state: StateOptions, delivery: DeliveryOptions, failOnRejects: Bool, continueWith: String? = nil,
        _ body: @escaping @Sendable (ProgressDisplay) async throws -> ImportSummary
    ) async throws {
        let display = ProgressDisplay(mode: delivery.progress)
        let outcome: (ImportSummary, [(message: String, units: Int)])
        let (directory, wait, command) = (state.stateDirectory, state.wait, StateOptions.commandLine)
        do {
            outcome = try await interruptible {
                try await locked(directory, wait: wait, command: command) {
                    let summary = try await body(display)
                    guard summary.progress.deferred > 0 || summary.state == .incomplete else { return (summary, []) }
                    let causes = try? await Ledger(directory: directory).unfinishedErrors(jobID: summary.jobID)
                    return (summary, causes ?? [])
                }
            }
        } catch {
            display.done()
            throw fail(error)
        }
        display.done()
        let summary = outcome.0
        print(render(summary, continueWith: continueWith))
        for cause in outcome.1 {
            FileHandle.standardError.write(
                Data("memport: \(cause.units) unit(s) left for later: \(cause.message)\n".utf8))
        }
        if let summaryJSON = delivery.summaryJson {
            do {
                try summary.write(to: summaryJSON)
            } catch {
                FileHandle.standardError.write(Data("memport: cannot write \(summaryJSON): \(error)\n".utf8))
                throw ExitCode(ExitStatus.failure)
            }
        }
        let code = exitCode(summary, failOnRejects: failOnRejects)
        if code != 0 { throw ExitCode(code) }
    }

    /// Runs `body` holding the lock of the state directory (exit 7 at once when another process
    /// holds it, unless `wait`).
    static func locked<T: Sendable>(
        _ directory: URL, wait: Bool, command: String = StateOptions.commandLine, _ body: () async throws -> T
    ) async throws -> T {
        let lock = try await StateLock.acquire(directory: directory, command: command, wait: wait)
        defer { lock.release() }
        return try await body()
    }

    /// Runs `body` in a task that SIGINT and SIGTERM cancel; a second signal exits at once, and
    /// so does the first when the reader is blocked in `open()` or `read()` on a pipe, a FIFO or
    /// stdin (a wait nothing can cancel; the ledger is as safe as after a SIGKILL).
    static func interruptible<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await body() }
        let signals = Mutex(0)
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                let count = signals.withLock { n -> Int in
                    n += 1
                    return n
                }
                if count > 1 { exit(ExitStatus.interrupted) }
                FileHandle.standardError.write(Data("\nmemport: interrupted; checkpointing…\n".utf8))
                task.cancel()
                DispatchQueue.global().async {
                    while true {
                        if BlockingInput.isWaiting {
                            FileHandle.standardError.write(
                                Data("memport: interrupted while waiting for input; the ledger is consistent\n".utf8))
                            exit(ExitStatus.interrupted)
                        }
                        usleep(50_000)
                    }
                }
            }
            source.resume()
            sources.append(source)
        }
        defer {
            for source in sources { source.cancel() }
        }
        return try await task.value
    }

    static func exitCode(_ s: ImportSummary, failOnRejects: Bool) -> Int32 {
        switch s.state {
        case .interrupted: return ExitStatus.interrupted
        case .stopped: return ExitStatus.authentication
        case .incomplete: return ExitStatus.retryable
        case .running, .finished:
            return failOnRejects && s.progress.rejects > 0 ? ExitStatus.rejects : ExitStatus.ok
        }
    }

    /// Prints the error and returns the exit code it calls for.
    static func fail(_ error: any Error) -> ExitCode {
        let message: String
        let code: Int32
        switch error {
        case let e as PipelineError:
            message = e.description
            switch e.code {
            case .usage, .pipelineFile, .jobNotFound: code = ExitStatus.usage
            case _ where e.code.isUnreadableInput: code = ExitStatus.inputNotFound
            case .stateLocked: code = ExitStatus.stateLocked
            case .targetUnreachable: code = ExitStatus.retryable
            default: code = ExitStatus.failure
            }
        case let e as MemoryAPIError:
            message = e.description
            code = e.code == .authentication ? ExitStatus.authentication : ExitStatus.failure
        case let e as ExitCode:
            return e
        case is CancellationError:
            message = "interrupted"
            code = ExitStatus.interrupted
        default:
            message = "\(error)"
            code = ExitStatus.failure
        }
        FileHandle.standardError.write(Data("memport: \(TargetRedaction.scrubbing(message))\n".utf8))
        return ExitCode(code)
    }

    /// The summary's text; `continueWith` is what continues an unfinished job (`memport resume JOB`
    /// unless the command says otherwise: a migration is continued by running it again). It
    /// ends with where the memories went and the command that shows them.
    static func render(_ s: ImportSummary, continueWith: String? = nil) -> String {
        let how = continueWith ?? "memport resume \(s.jobID)"
        let p = s.progress
        var lines: [String] = []
        let state: String
        switch s.state {
        case .finished: state = "finished"
        case .interrupted: state = "interrupted; checkpointed (\(how) continues)"
        case .stopped:
            state =
                "stopped: \(s.stopReason ?? "the target refused the key") (fix the key, then \(how))"
        case .incomplete: state = "incomplete: retryable failures remain (\(how) continues)"
        case .running: state = "running"
        }
        lines.append("job \(s.jobID) → \(s.target): \(state)")
        if s.nothingNew { lines.append("  the job had already finished: nothing new to import") }
        lines.append("  records \(p.records)  units \(p.units)  messages \(p.messages)")
        lines.append(
            "  confirmed \(p.confirmed)  already there \(p.skippedExisting)  rejected \(p.rejects)  left for later \(p.deferred)"
        )
        lines.append(
            String(format: "  retries %d  rate-limited (429) %d  elapsed %.2fs", p.retries, p.rateLimited, p.elapsed))
        if !p.rejectsByReason.isEmpty {
            lines.append(
                "  rejects by reason: "
                    + p.rejectsByReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                        separator: ", "))
        }
        if !p.skippedMessages.isEmpty {
            lines.append(
                "  skipped by rule: "
                    + p.skippedMessages.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                        separator: ", "))
        }
        if let file = s.rejectsFile { lines.append("  rejects file: \(file)") }
        lines += whereTheyWent(s.target)
        return lines.joined(separator: "\n")
    }

    /// "memories in TARGET" and the commands that show them.
    static func whereTheyWent(_ target: String) -> [String] {
        var name = target
        var project: (org: String, project: String)?
        if let hash = name.firstIndex(of: "#") {
            let parts = name[name.index(after: hash)...].split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 2 { project = (parts[0], parts[1]) }
            name = String(name[..<hash])
        }
        let scope = project.map { " --org-id \(shellQuoted($0.org)) --project-id \(shellQuoted($0.project))" } ?? ""
        guard name.hasPrefix("embedded:") else {
            return [
                "  memories at \(name)",
                "  see them: memport export --target \(shellQuoted(name))\(scope) --output -",
            ]
        }
        let path = String(name.dropFirst("embedded:".count))
        return [
            "  memories in \(path)",
            "  see them: memport export --target \(shellQuoted(name))\(scope) --output -  "
                + "(or serve them: memport serve --db \(shellQuoted(path)))",
        ]
    }

    /// The text as one shell word.
    static func shellQuoted(_ text: String) -> String {
        let safe = text.allSatisfy { $0.isLetter || $0.isNumber || "-_./:@%+=,".contains($0) }
        return safe ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
