import Foundation
import MemoryAPI

extension MemoryClient {
    /// `GET /v1/ping/`: checks the key and says which org and project it belongs to.
    public func ping() async throws -> Ping {
        try await perform(
            Endpoint("ping", .GET, path: Endpoint.path("v1", "ping"), query: orgQuery(), effect: .read),
            as: Ping.self
        ).value
    }

    /// Adds memories: `POST /v1/memories/` (v1, v2) or `POST /v3/memories/add/` (v3).
    ///
    /// The answer is returned as the server gave it: synchronous results, or queued jobs whose
    /// `pendingEventIDs` ``waitForEvent(_:pollInterval:timeout:)`` follows. An add is retried only
    /// when the failure proves it was not applied; otherwise the error has
    /// `mayHaveBeenApplied == true` and the caller decides.
    public func add(_ request: AddRequest, version: APIVersion? = nil) async throws -> AddResponse {
        try await addWithReport(request, version: version).value
    }

    /// ``add(_:version:)``, also saying how many attempts it took.
    public func addWithReport(_ request: AddRequest, version: APIVersion? = nil) async throws -> CallReport<
        AddResponse
    > {
        try await perform(addEndpoint(request, version: version)) { data in try AddResponse.decode(json: data) }
    }

    /// `GET /v1/memories/{id}/`.
    public func get(_ memoryID: String) async throws -> Memory {
        try await perform(
            Endpoint("get", .GET, path: Endpoint.path("v1", "memories", memoryID), query: orgQuery(), effect: .read),
            as: Memory.self
        ).value
    }

    /// `PUT /v1/memories/{id}/`: new text, metadata, timestamp or expiration date; returns the memory.
    public func update(_ memoryID: String, _ request: UpdateRequest) async throws -> Memory {
        guard !request.isEmpty else {
            throw MemoryAPIError(.validation, "an update needs text, metadata, a timestamp or an expiration date")
        }
        return try await perform(
            Endpoint(
                "update", .PUT, path: Endpoint.path("v1", "memories", memoryID), query: orgQuery(),
                body: try Self.json(request), effect: .idempotentWrite),
            as: Memory.self
        ).value
    }

    /// `DELETE /v1/memories/{id}/`; `deleteLinked` (v3) also deletes what the memory superseded.
    public func delete(_ memoryID: String, deleteLinked: Bool = false) async throws -> MessageResponse {
        var query = orgQuery()
        if deleteLinked { query.append(("delete_linked", "true")) }
        return try await perform(
            Endpoint(
                "delete", .DELETE, path: Endpoint.path("v1", "memories", memoryID), query: query,
                effect: .idempotentWrite),
            decode: Self.decodeMessage
        ).value
    }

    /// `DELETE /v1/memories/?user_id=…`: deletes every memory of a scope (`"*"` means any).
    ///
    /// An empty scope is refused before sending: the platform would answer 400, and older
    /// servers wiped the whole project.
    public func deleteAll(_ scope: Scope, metadata: [String: JSONValue]? = nil) async throws -> MessageResponse {
        guard !scope.isEmpty else {
            throw MemoryAPIError.invalid(
                at: "scope", "delete_all needs at least one of user_id, agent_id, app_id, run_id")
        }
        var query = Self.scopeQuery(scope)
        if let metadata { query.append(("metadata", JSONValue.object(metadata).jsonString())) }
        query += orgQuery()
        return try await perform(
            Endpoint(
                "delete_all", .DELETE, path: Endpoint.path("v1", "memories"), query: query, effect: .idempotentWrite),
            decode: Self.decodeMessage
        ).value
    }

    /// `GET /v1/memories/{id}/history/`: the changes of one memory, oldest first.
    public func history(_ memoryID: String) async throws -> [HistoryEntry] {
        try await perform(
            Endpoint(
                "history", .GET, path: Endpoint.path("v1", "memories", memoryID, "history"), query: orgQuery(),
                effect: .read),
            as: Page<HistoryEntry>.self
        ).value.results
    }

    // MARK: - Building

    func addEndpoint(_ request: AddRequest, version: APIVersion?) throws -> Endpoint {
        let version = version ?? configuration.apiVersion
        guard !request.messages.isEmpty else {
            throw MemoryAPIError.invalid(at: "messages", "an add needs at least one message")
        }
        guard !request.effectiveScope.isEmpty else {
            throw MemoryAPIError.invalid(at: "user_id", "an add needs one of user_id, agent_id, app_id, run_id")
        }
        var body = request
        if version.sendsOrgAndProject {
            body.orgID = body.orgID ?? configuration.orgID
            body.projectID = body.projectID ?? configuration.projectID
        }
        let path = version == .v3 ? Endpoint.path("v3", "memories", "add") : Endpoint.path("v1", "memories")
        return Endpoint("add", .POST, path: path, body: Data(body.jsonString().utf8), effect: .write)
    }

    /// `org_id` and `project_id` as query items, when the path generation sends them.
    func orgQuery(_ version: APIVersion? = nil) -> [(name: String, value: String)] {
        guard (version ?? configuration.apiVersion).sendsOrgAndProject, let org = configuration.orgID,
            let project = configuration.projectID
        else { return [] }
        return [("org_id", org), ("project_id", project)]
    }

    /// The ids of a scope as query items.
    static func scopeQuery(_ scope: Scope) -> [(name: String, value: String)] {
        EntityType.allCases.compactMap { t in scope[t].map { (t.idField, $0) } }
    }

    /// A message answer; an empty body (some entity deletes) reads as no message.
    @Sendable static func decodeMessage(_ data: Data) throws -> MessageResponse {
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return MessageResponse(message: nil)
        }
        return try JSONDecoder().decode(MessageResponse.self, from: data)
    }
}
