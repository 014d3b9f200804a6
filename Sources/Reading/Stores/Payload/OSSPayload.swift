import Foundation
import MemoryAPI

/// Maps a mem0 payload to a memory as the OSS read path (`Memory.get_all`) does: the text is
/// `data`, the scope is `user_id`, `agent_id` and `run_id`, `created_at` and `updated_at` are kept,
/// and the metadata is the payload minus its core and promoted keys. `expiration_date` becomes the
/// memory's own field; `hash`, `role`, `actor_id`, `attributed_to` and the store's name go under
/// memport's extension key `memport_oss`, which verify does not compare.
///
/// ```swift
/// let memory = try OSSPayload.memory(id: point.id, payload: payload, origin: spec)
/// ```
public enum OSSPayload {
    /// The metadata key for what the OSS payload keeps beyond the memory's own fields.
    public static let extensionField = "memport_oss"

    /// Keys that are never user metadata (mem0's core and promoted payload keys).
    public static let coreKeys: Set<String> = [
        "data", "hash", "created_at", "updated_at", "id", "text_lemmatized", "attributed_to", "user_id", "agent_id",
        "run_id", "actor_id", "role", "expiration_date",
    ]

    /// The kept keys that go under `memport_oss`.
    static let keptKeys = ["hash", "role", "actor_id", "attributed_to"]

    /// The memory a point holds.
    ///
    /// - Throws: `ReadingError` `.missingData` when `data` is absent or empty, `.badPayload` when a
    ///   scope id or date has the wrong type.
    public static func memory(id: String, payload: [String: JSONValue], origin: StoreSpec) throws -> Memory {
        func fail(_ code: ReadingError.Code, _ message: String) -> ReadingError {
            ReadingError.store(
                code, message, store: origin.storeDescription,
                collection: origin.kind == .typescript ? nil : origin.collection, pointID: id)
        }
        guard let dataValue = payload["data"] else {
            throw fail(.missingData, "the payload has no data (the memory text); keys: \(keys(payload))")
        }
        guard case .string(let text) = dataValue else {
            throw fail(.missingData, "the payload's data is \(dataValue.typeDescription), not text")
        }
        guard !text.isEmpty else { throw fail(.missingData, "the payload's data is empty") }
        func string(_ key: String) throws -> String? {
            switch payload[key] {
            case nil, .null?: return nil
            case .string(let s)?: return s.isEmpty ? nil : s
            case .int(let n)?: return String(n)
            case let other?: throw fail(.badPayload, "\(key) is \(other.typeDescription), not text")
            }
        }
        func date(_ key: String) throws -> Date? {
            guard let s = try string(key) else { return nil }
            guard let d = MemoryTimestamp.parse(s) else {
                throw fail(.badPayload, "\(key) '\(s)' is not an ISO 8601 date")
            }
            return d
        }
        let scope = Scope(userID: try string("user_id"), agentID: try string("agent_id"), runID: try string("run_id"))
        var metadata: [String: JSONValue] = [:]
        for (key, value) in payload where !coreKeys.contains(key) && !value.isNull { metadata[key] = value }
        var kept: [String: JSONValue] = ["store": .string(origin.kind.rawValue)]
        if origin.kind != .typescript { kept["collection"] = .string(origin.collection) }
        for key in keptKeys { if let v = payload[key], !v.isNull { kept[key] = v } }
        metadata[extensionField] = .object(kept)
        return Memory(
            id: id, memory: text, scope: scope, metadata: metadata, expirationDate: try string("expiration_date"),
            createdAt: try date("created_at"), updatedAt: try date("updated_at"), hash: try string("hash"))
    }

    static func keys(_ payload: [String: JSONValue]) -> String {
        payload.isEmpty ? "none" : payload.keys.sorted().joined(separator: ", ")
    }
}
