import Foundation
import MemoryAPI
import Reading

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
        // A time stored out of range reads as its seconds when they fit, never as a trap.
        createdAt = memory.createdAt.flatMap { date in
            let seconds = date.timeIntervalSince1970.rounded(.down)
            return seconds.isFinite && abs(seconds) < 9e18 ? Int64(seconds) : nil
        }
    }

    /// The fields that differ from `other`: `text`, `scope`, `metadata`, `created_at`.
    public func differences(from other: VerifyRecord) -> [String] {
        var out: [String] = []
        if !text.isExactly(other.text) { out.append("text") }
        if scope != other.scope { out.append("scope") }
        if metadata != other.metadata || !Self.sameKeys(metadata, other.metadata) { out.append("metadata") }
        if createdAt != other.createdAt { out.append("created_at") }
        return out
    }

    /// `true` when both objects spell their keys with the same bytes (dictionary equality
    /// treats NFC and NFD keys as one).
    static func sameKeys(_ a: [String: JSONValue], _ b: [String: JSONValue]) -> Bool {
        Set(a.keys.map(ExactText.init)) == Set(b.keys.map(ExactText.init))
    }
}
