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
