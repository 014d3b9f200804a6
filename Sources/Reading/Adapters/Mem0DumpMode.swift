/// How Mem0 memory dumps become units.
public enum Mem0DumpMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// One add per memory, with `infer=false` and `created_at` as `timestamp`.
    case add
    /// One `batch_update` item per memory, addressed by its id.
    case update
}
