import Foundation
import MemoryAPI

/// A memory as verify compares it: its origin id, text, scope, metadata without memport's own
/// `memport_*` keys, and `created_at` to the second.
public struct VerifyRecord: Sendable, Hashable {
    /// The id the memory had at its origin: `metadata.memport_source_id`, or its own id.
    public var identity: String
    /// The text.
    public var text: String
    /// The scope.
    public var scope: Scope
    /// The metadata without `memport_*` keys (empty when none).
    public var metadata: [String: JSONValue]
    /// Seconds since 1970, rounded down.
    public var createdAt: Int64?

    /// The comparable form of a memory.
    public init(_ memory: Memory) {
        var meta = memory.metadata ?? [:]
        if case .string(let origin) = meta[Mem0DumpAdapter.sourceIDField] {
            identity = origin
        } else {
            identity = memory.id
        }
        meta = meta.filter { !$0.key.hasPrefix("memport_") }
        text = memory.memory
        scope = memory.scope
        metadata = meta
        createdAt = memory.createdAt.map { Int64($0.timeIntervalSince1970.rounded(.down)) }
    }

    /// The fields that differ from `other`: `text`, `scope`, `metadata`, `created_at`.
    public func differences(from other: VerifyRecord) -> [String] {
        var out: [String] = []
        if text != other.text { out.append("text") }
        if scope != other.scope { out.append("scope") }
        if metadata != other.metadata { out.append("metadata") }
        if createdAt != other.createdAt { out.append("created_at") }
        return out
    }
}
