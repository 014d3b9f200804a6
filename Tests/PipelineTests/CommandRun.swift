import Foundation
import TestSupport

/// One run of the built `memport` binary with its output captured.
struct CommandRun {
    /// The exit status, or nil when a signal ended it.
    var status: Int32?
    /// Standard output.
    var stdout: String
    /// Standard error.
    var stderr: String

    /// Runs `memport arguments` in `directory` and waits for it.
    static func memport(
        _ arguments: [String], environment: [String: String] = [:], directory: String, stdin: String? = nil
    ) async throws -> CommandRun {
        let process = try EngineFixtures.command(arguments, environment: environment, directory: directory)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let stdin {
            let input = Pipe()
            process.standardInput = input
            try process.run()
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
            try process.run()
        }
        // Read both pipes off this task, so a full pipe never stalls the child.
        async let outData = Task.detached { out.fileHandleForReading.readDataToEndOfFile() }.value
        async let errData = Task.detached { err.fileHandleForReading.readDataToEndOfFile() }.value
        let (o, e) = await (outData, errData)
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        return CommandRun(
            status: process.terminationReason == .uncaughtSignal ? nil : process.terminationStatus,
            stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}
