import ArgumentParser
import Foundation
import MemoryAPI

/// `memport filters check`: validates a v2 filter and prints its canonical JSON.
struct FiltersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filters",
        abstract: "Work with Mem0 v2 filters.",
        subcommands: [Check.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a filter and print its canonical JSON; a bad node is named by its JSON path.")

        @Argument(help: "The filter as JSON, or @FILE to read it from a file.")
        var filter: String

        func run() async throws {
            let text = try ArgumentInput.read(filter)
            do {
                let parsed = try MemoryFilter.parse(jsonText: text)
                print(parsed.json.jsonString())
            } catch let error as MemoryAPIError {
                FileHandle.standardError.write(Data("memport: invalid filter: \(error.message)\n".utf8))
                throw ExitCode(ExitStatus.usage)
            }
        }
    }
}

/// Exit codes of DESIGN.md.
enum ExitStatus {
    static let ok: Int32 = 0
    static let failure: Int32 = 1
    static let usage: Int32 = 2
    static let inputNotFound: Int32 = 3
    static let authentication: Int32 = 4
    static let retryable: Int32 = 5
    static let rejects: Int32 = 6
    static let interrupted: Int32 = 130
}

/// Reads an argument that is either inline text or `@FILE`.
enum ArgumentInput {
    static func read(_ argument: String) throws -> String {
        guard argument.hasPrefix("@") else { return argument }
        let path = String(argument.dropFirst())
        guard let data = FileManager.default.contents(atPath: path) else {
            FileHandle.standardError.write(Data("memport: cannot read \(path)\n".utf8))
            throw ExitCode(ExitStatus.inputNotFound)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
