import ArgumentParser
import Foundation
import MemoryAPI
import Pipeline
import Synchronization

/// Runs a job for a command: Ctrl-C and SIGTERM checkpoint it, progress goes to stderr, the
/// summary to stdout, and the outcome becomes one of DESIGN's exit codes.
enum JobRunner {
    /// Runs `body` and exits with the code its summary calls for.
    static func execute(
        options: JobOptions, summaryJSON: String?, failOnRejects: Bool, continueWith: String? = nil,
        _ body: @escaping @Sendable (ProgressDisplay) async throws -> ImportSummary
    ) async throws {
        let display = ProgressDisplay(mode: options.progress)
        let summary: ImportSummary
        do {
            summary = try await interruptible { try await body(display) }
        } catch {
            display.done()
            throw fail(error)
        }
        display.done()
        print(render(summary, continueWith: continueWith))
        if let summaryJSON {
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

    /// Runs `body` in a task that SIGINT and SIGTERM cancel; a second signal exits at once.
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
            case .inputNotFound, .unreadable: code = ExitStatus.inputNotFound
            default: code = ExitStatus.failure
            }
        case let e as MemoryAPIError:
            message = e.description
            code = e.code == .authentication ? ExitStatus.authentication : ExitStatus.failure
        case let e as ExitCode:
            return e
        default:
            message = "\(error)"
            code = ExitStatus.failure
        }
        FileHandle.standardError.write(Data("memport: \(message)\n".utf8))
        return ExitCode(code)
    }

    /// The summary's text; `continueWith` is what continues an unfinished job (`memport resume JOB`
    /// unless the command says otherwise: a migration is continued by running it again).
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
        lines.append(String(format: "  retries %d  elapsed %.2fs", p.retries, p.elapsed))
        if !p.rejectsByReason.isEmpty {
            lines.append(
                "  rejects by reason: "
                    + p.rejectsByReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                        separator: ", "))
        }
        if !p.skippedMessages.isEmpty {
            lines.append(
                "  messages skipped by rule: "
                    + p.skippedMessages.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                        separator: ", "))
        }
        if let file = s.rejectsFile { lines.append("  rejects file: \(file)") }
        return lines.joined(separator: "\n")
    }
}
