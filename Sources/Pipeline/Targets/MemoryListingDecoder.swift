import Foundation
import MemoryAPI
import Reading

/// Reads a `get_all` answer through `JSONTape` instead of `JSONDecoder`: exports, migrations and
/// verifications read millions of memories, and `Memory`'s tolerant `Codable` decoding was half
/// of an export's CPU.
///
/// The fast path takes the shapes the platform and `memport serve` send (string ids and texts,
/// ids and dates as strings or null, metadata as an object, categories as strings, booleans as
/// booleans). Anything else, or anything odd, is read by `Page<Memory>`'s own decoder, so the
/// result and every error are exactly what `JSONDecoder` gives.
enum MemoryListingDecoder {
    /// The page in `data`.
    ///
    /// - Throws: what `JSONDecoder().decode(Page<Memory>.self, from: data)` throws.
    static func page(_ data: Data) throws -> Page<Memory> {
        if let page = fast(data) { return page }
        return try JSONDecoder().decode(Page<Memory>.self, from: data)
    }

    /// The page, or nil when the answer is not of the shapes the fast path reads.
    static func fast(_ data: Data) -> Page<Memory>? {
        guard let tape = try? JSONTape(parsing: data) else { return nil }
        let root = tape.root
        switch root.kind {
        case .array:
            guard let items = memories(root) else { return nil }
            return Page(count: items.count, results: items, shape: .list)
        case .object:
            guard let list = root["results"], let items = memories(list) else { return nil }
            guard let count = root["count"] else { return Page(count: items.count, results: items, shape: .results) }
            guard case .int(let n) = count.decodedValue, let total = Int(exactly: n) else { return nil }
            guard let next = optionalString(root["next"]), let previous = optionalString(root["previous"]) else {
                return nil
            }
            return Page(count: total, next: next, previous: previous, results: items, shape: .paginated)
        default:
            return nil
        }
    }

    private static func memories(_ list: JSONNode) -> [Memory]? {
        guard list.kind == .array else { return nil }
        var out: [Memory] = []
        for node in list.elements {
            guard let m = memory(node) else { return nil }
            out.append(m)
        }
        return out
    }

    /// Keys the fast path reads itself; the rest go to `extra` as `Memory`'s decoder puts them.
    private static let read: Set<String> = [
        "id", "memory", "user_id", "agent_id", "app_id", "run_id", "session_id", "metadata", "categories",
        "immutable", "expiration_date", "created_at", "updated_at", "hash", "score",
    ]

    private static func memory(_ node: JSONNode) -> Memory? {
        guard node.kind == .object else { return nil }
        var fields: [String: JSONNode] = [:]
        for (key, value) in node.members { fields[key] = value }
        // Alternative spellings (text, data.memory, numeric ids, "None" strings) take the slow path.
        guard let id = fields["id"]?.string, let text = fields["memory"]?.string, fields["text"] == nil,
            fields["data"] == nil
        else { return nil }
        guard let user = optionalString(fields["user_id"]), let agent = optionalString(fields["agent_id"]),
            let app = optionalString(fields["app_id"]), let run = optionalString(fields["run_id"]),
            let session = optionalString(fields["session_id"]),
            let expiration = optionalString(fields["expiration_date"]), let hash = optionalString(fields["hash"]),
            let created = date(fields["created_at"]), let updated = date(fields["updated_at"])
        else { return nil }
        var metadata: [String: JSONValue]?
        if let m = fields["metadata"], !m.isNull {
            guard case .object(let o) = m.decodedValue else { return nil }
            metadata = o
        }
        var categories: [String]?
        if let c = fields["categories"], !c.isNull {
            guard c.kind == .array else { return nil }
            var list: [String] = []
            for item in c.elements {
                guard let s = item.string else { return nil }
                list.append(s)
            }
            categories = list
        }
        var immutable: Bool?
        if let b = fields["immutable"], !b.isNull {
            guard let v = b.bool else { return nil }
            immutable = v
        }
        var score: Double?
        if let s = fields["score"], !s.isNull {
            guard let v = s.double else { return nil }
            score = v
        }
        var extra: [String: JSONValue] = [:]
        for (key, value) in fields where !read.contains(key) && !["text", "data"].contains(key) {
            extra[key] = value.decodedValue
        }
        return Memory(
            id: id, memory: text,
            scope: Scope(userID: user, agentID: agent, appID: app, runID: run ?? session),
            metadata: metadata, categories: categories, immutable: immutable, expirationDate: expiration,
            createdAt: created, updatedAt: updated, hash: hash, score: score, extra: extra)
    }

    /// A present-or-absent string: `.some(nil)` for absent or null, nil when it is something else.
    private static func optionalString(_ node: JSONNode?) -> String?? {
        guard let node, !node.isNull else { return .some(nil) }
        guard let s = node.string else { return nil }
        return .some(s)
    }

    /// A date as an ISO 8601 string, absent or null; nil for anything the slow path must judge.
    private static func date(_ node: JSONNode?) -> Date?? {
        guard let node, !node.isNull else { return .some(nil) }
        guard let s = node.string, !s.isEmpty, s != "None", let d = MemoryTimestamp.parse(s) else { return nil }
        return .some(d)
    }
}
