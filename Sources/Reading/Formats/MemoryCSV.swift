import Foundation
import MemoryAPI

/// The flat CSV layout of a memory: `memport export --format csv` writes it and the `mem0`
/// preset reads it back, so both halves share these columns and their spelling.
public enum MemoryCSV {
    /// The CSV columns, in order.
    public static let columns = [
        "id", "memory", "user_id", "agent_id", "app_id", "run_id", "metadata", "categories", "immutable",
        "expiration_date", "created_at", "updated_at", "hash",
    ]

    /// The fields of one CSV row, in `columns` order; empty for absent values.
    public static func row(_ m: Memory) -> [String] {
        [
            m.id, m.memory, m.scope.userID ?? "", m.scope.agentID ?? "", m.scope.appID ?? "", m.scope.runID ?? "",
            m.metadata.map { JSONValue.object($0).jsonString() } ?? "",
            m.categories.map { JSONValue.array($0.map { .string($0) }).jsonString() } ?? "",
            m.immutable.map { $0 ? "true" : "false" } ?? "", m.expirationDate ?? "",
            m.createdAt.map(MemoryTimestamp.format) ?? "", m.updatedAt.map(MemoryTimestamp.format) ?? "", m.hash ?? "",
        ]
    }

    /// RFC 4180 quoting: fields with a comma, quote, CR or LF are quoted, quotes doubled.
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Rebuilds a memory from a CSV row this format wrote (the inverse of `row(_:)`).
    ///
    /// - Throws: `ReadingError` `.wrongType` naming the column when a value is malformed.
    public static func memory(from row: CSVRow) throws -> Memory {
        func text(_ column: String) -> String? {
            guard let v = row[column], !v.isEmpty else { return nil }
            return v
        }
        guard let id = text("id") else { throw ReadingError(.wrongType, "the row has no id", path: "id") }
        var metadata: [String: JSONValue]?
        if let raw = text("metadata") {
            guard case .object(let o) = try? JSONValue.parse(raw) else {
                throw ReadingError(.wrongType, "metadata is not a JSON object", path: "metadata")
            }
            metadata = o
        }
        var categories: [String]?
        if let raw = text("categories") {
            guard case .array(let items) = try? JSONValue.parse(raw) else {
                throw ReadingError(.wrongType, "categories is not a JSON array", path: "categories")
            }
            categories = items.compactMap(\.stringValue)
        }
        func date(_ column: String) throws -> Date? {
            guard let raw = text(column) else { return nil }
            guard let d = MemoryTimestamp.parse(raw) else {
                throw ReadingError(.invalidTimestamp, "'\(raw)' is not a timestamp", path: column)
            }
            return d
        }
        return Memory(
            id: id, memory: row["memory"] ?? "",
            scope: Scope(
                userID: text("user_id"), agentID: text("agent_id"), appID: text("app_id"), runID: text("run_id")),
            metadata: metadata, categories: categories, immutable: text("immutable").map { $0 == "true" },
            expirationDate: text("expiration_date"), createdAt: try date("created_at"),
            updatedAt: try date("updated_at"), hash: text("hash"))
    }
}
