import Foundation

/// Where the tests find the shared documents (`seeds/`, `fixtures/`, the contract): the
/// directory `MEMPORT_SHARED` names, or `shared/` beside the package root. `scripts/test` sets
/// `MEMPORT_SHARED` for a clone that is not beside them (it looks beside the clone's origin).
public enum SharedDocuments {
    /// The shared directory for the package at `packageRoot`.
    public static func directory(packageRoot: URL) -> URL {
        if let named = ProcessInfo.processInfo.environment["MEMPORT_SHARED"], !named.isEmpty {
            return URL(fileURLWithPath: named)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }
}
