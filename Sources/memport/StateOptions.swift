import ArgumentParser
import Foundation
import Pipeline

/// Where a command's ledger lives, and whether a command that writes into it waits for another
/// memport process that holds it.
struct StateOptions: ParsableArguments {
    @Option(help: "Where the job ledger (jobs, export checkpoints, rejects) lives.")
    var stateDir = ".memport"

    @Flag(help: "When another memport process holds the state directory, wait for it instead of exiting 7.")
    var wait = false

    /// The state directory.
    var stateDirectory: URL { URL(fileURLWithPath: stateDir) }

    /// Runs `body` holding the state directory's lock (one process per state directory): taken
    /// before the ledger is opened, released when `body` ends or the process dies.
    func locked<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let lock = try await StateLock.acquire(
            directory: stateDirectory, command: Self.commandLine, wait: wait)
        defer { lock.release() }
        return try await body()
    }

    /// This process's command line, for the lock file, with any `user:password@` of a URL removed.
    static var commandLine: String {
        let arguments = CommandLine.arguments.enumerated().map { index, argument -> String in
            var text = index == 0 ? "memport" : argument
            if let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@"),
                !text[scheme.upperBound..<at].contains("/")
            {
                text.removeSubrange(scheme.upperBound...at)
            }
            return text.contains(" ") ? "'\(text)'" : text
        }
        return arguments.joined(separator: " ")
    }
}
