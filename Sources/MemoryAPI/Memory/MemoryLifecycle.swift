/// Mem0's Dream lifecycle (ecosystem doc §1.3): Merge folds duplicates into one memory and hides
/// the folded ones (`merged`) unless a read asks for `include_merged`; Supersede keeps a
/// contradicted fact as `superseded`, which `latest_only` drops; Synthesis writes pattern
/// memories marked `synthesized`.
public enum MemoryLifecycle {
    /// A current memory (the state of every memory outside Dream).
    public static let active = "active"
    /// A fact a newer one contradicted; listed by default, dropped by `latest_only`.
    public static let superseded = "superseded"
    /// A duplicate folded into another memory; hidden unless `include_merged`.
    public static let merged = "merged"
}

/// Which lifecycle states a listing or search returns: the `include_merged` and `latest_only`
/// request fields.
public struct LifecycleView: Sendable, Hashable, Codable {
    /// Also return merged memories (`include_merged: true`).
    public var includeMerged: Bool
    /// Drop superseded memories (`latest_only: true`).
    public var latestOnly: Bool

    /// Creates a view.
    public init(includeMerged: Bool = false, latestOnly: Bool = false) {
        self.includeMerged = includeMerged
        self.latestOnly = latestOnly
    }

    /// The platform's default: active and superseded memories, merged ones hidden.
    public static let standard = LifecycleView()
    /// Every memory, merged ones included: what exports and backups read.
    public static let everything = LifecycleView(includeMerged: true)
    /// Only the latest facts: superseded and merged memories dropped.
    public static let latestOnly = LifecycleView(latestOnly: true)

    /// Whether a memory in `state` (nil reads as active) is in the view.
    public func includes(state: String?) -> Bool {
        switch state?.lowercased() {
        case MemoryLifecycle.merged: return includeMerged && !latestOnly
        case MemoryLifecycle.superseded: return !latestOnly
        default: return true
        }
    }

    enum CodingKeys: String, CodingKey {
        case includeMerged = "include_merged"
        case latestOnly = "latest_only"
    }
}
