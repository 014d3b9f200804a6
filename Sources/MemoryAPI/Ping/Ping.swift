/// The answer of `GET /v1/ping/`: who the key belongs to.
public struct Ping: Sendable, Hashable, Codable {
    /// `ok`.
    public var status: String?
    /// The organisation the key resolves to.
    public var orgID: String?
    /// The project the key resolves to.
    public var projectID: String?
    /// The account's email.
    public var userEmail: String?

    /// Creates an answer.
    public init(status: String? = "ok", orgID: String? = nil, projectID: String? = nil, userEmail: String? = nil) {
        self.status = status
        self.orgID = orgID
        self.projectID = projectID
        self.userEmail = userEmail
    }

    enum CodingKeys: String, CodingKey {
        case status
        case orgID = "org_id"
        case projectID = "project_id"
        case userEmail = "user_email"
    }
}
