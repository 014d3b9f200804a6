import Foundation
import MemoryAPI
import MemoryStore

/// An API key the server accepts and the project it belongs to.
///
/// Written `KEY` (the default project) or `KEY=org/project` on the command line and in
/// `MEMPORT_API_KEYS` (comma-separated). The key itself is never logged or echoed.
public struct APIKey: Sendable, Hashable {
    /// The secret.
    public var secret: String
    /// The project it may see.
    public var project: ProjectContext

    /// Creates a key.
    public init(secret: String, project: ProjectContext = .default) {
        self.secret = secret
        self.project = project
    }

    /// Parses `KEY` or `KEY=org/project`.
    ///
    /// - Throws: ``ServerConfigurationError`` for an empty key or a project not written `org/project`.
    public init(parsing spec: String) throws {
        let parts = spec.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let secret = String(parts[0])
        guard !secret.isEmpty else { throw ServerConfigurationError("an API key must not be empty") }
        guard parts.count == 2 else {
            self.init(secret: secret)
            return
        }
        let scope = parts[1].split(separator: "/", omittingEmptySubsequences: false)
        guard scope.count == 2, !scope[0].isEmpty, !scope[1].isEmpty else {
            throw ServerConfigurationError("an API key's project must be written KEY=org/project")
        }
        self.init(secret: secret, project: ProjectContext(orgID: String(scope[0]), projectID: String(scope[1])))
    }

    /// Parses a comma-separated list such as `MEMPORT_API_KEYS`.
    public static func parseList(_ text: String) throws -> [APIKey] {
        try text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .map(APIKey.init(parsing:))
    }
}

/// A configuration the server refuses to start with.
extension APIKey {
    /// Refuses one secret given twice for different projects (which project it would open
    /// would depend on the order); the same secret for the same project twice is harmless.
    ///
    /// Secrets are compared byte for byte, as requests are authenticated.
    public static func checkDistinct(_ keys: [APIKey]) throws {
        var seen: [ExactText: ProjectContext] = [:]
        for key in keys {
            if let earlier = seen[ExactText(key.secret)], earlier != key.project {
                throw ServerConfigurationError(
                    "one API key is given for two projects, \(earlier.orgID)/\(earlier.projectID) and "
                        + "\(key.project.orgID)/\(key.project.projectID): give each project its own key")
            }
            seen[ExactText(key.secret)] = key.project
        }
    }
}

public struct ServerConfigurationError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
