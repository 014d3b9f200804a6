/// Which generation of Mem0 paths a call uses (contract §2, §10).
///
/// As the client's default it picks the family the SDKs use:
/// - ``v1``: SDK 0.1.x — add `POST /v1/memories/`, get_all `GET /v1/memories/?…` (v2 when a
///   filter is given), search `POST /v1/memories/search/` (v2 with a filter);
/// - ``v2``: SDK 1.x — add `POST /v1/memories/`, get_all `POST /v2/memories/`, search
///   `POST /v2/memories/search/`;
/// - ``v3``: SDK 2.x — add `POST /v3/memories/add/`, get_all `POST /v3/memories/`, search
///   `POST /v3/memories/search/`.
///
/// Passed to one get_all or search call, it picks that endpoint exactly. `org_id` and
/// `project_id` are sent with ``v1`` and ``v2`` only; with ``v3`` the key names the project.
public enum APIVersion: String, Sendable, Hashable, CaseIterable, Codable {
    /// The 0.1.x paths.
    case v1
    /// The 1.x paths.
    case v2
    /// The 2.x paths.
    case v3

    /// Whether org and project ids travel with calls.
    var sendsOrgAndProject: Bool { self != .v3 }
}
