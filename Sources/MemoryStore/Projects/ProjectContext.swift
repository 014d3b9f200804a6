import MemoryAPI

/// The organisation and project a call acts in; every memory belongs to exactly one.
///
/// The server derives it from the API key; the embedded target passes it directly.
public struct ProjectContext: Sendable, Hashable, Codable {
    /// The organisation id (`org_id`).
    public var orgID: String
    /// The project id (`project_id`).
    public var projectID: String

    /// Creates a context.
    public init(orgID: String, projectID: String) {
        self.orgID = orgID
        self.projectID = projectID
    }

    /// The project used when none is named: `default-org/default-project`.
    public static let `default` = ProjectContext(orgID: "default-org", projectID: "default-project")

    /// Byte equality, as the store tells projects apart (see `ExactText`).
    public static func == (a: ProjectContext, b: ProjectContext) -> Bool {
        a.orgID.isExactly(b.orgID) && a.projectID.isExactly(b.projectID)
    }

    /// Hashes the ids' bytes.
    public func hash(into hasher: inout Hasher) {
        ExactText.hash(orgID, into: &hasher)
        ExactText.hash(projectID, into: &hasher)
    }

    /// `org/project`.
    public var label: String { "\(orgID)/\(projectID)" }
}
