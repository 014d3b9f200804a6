import ArgumentParser
import Foundation
import MemoryAPI
import Pipeline

/// Parses `--filters` (inline JSON or @FILE): a bad filter is exit 2 naming its JSON path.
enum FilterArgument {
    static func parse(_ argument: String?) throws -> MemoryFilter? {
        guard let argument else { return nil }
        let text = try ArgumentInput.read(argument)
        do {
            return try MemoryFilter.parse(jsonText: text)
        } catch let error as MemoryAPIError {
            let at = error.path.map { error.message.contains($0) ? "" : " (at \($0))" } ?? ""
            FileHandle.standardError.write(Data("memport: invalid --filters: \(error.message)\(at)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
    }
}

extension ExportFormat: ExpressibleByArgument {}
extension EntityType: ExpressibleByArgument {
    /// `user_id`, `agent_id`, `app_id`, `run_id` (or the bare type).
    public init?(argument: String) {
        let bare = argument.hasSuffix("_id") ? String(argument.dropLast(3)) : argument
        self.init(rawValue: bare)
    }
}
extension Restore.Mode: ExpressibleByArgument {}
