import Foundation
import MemoryAPI

/// The containers `memport export` writes; each reads back through the `mem0` preset.
public enum ExportFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// One memory per line.
    case ndjson
    /// One JSON array of memories.
    case json
    /// Flat columns, with metadata and categories as JSON columns.
    case csv

    /// The file extension, without `.gz`.
    public var fileExtension: String {
        switch self {
        case .ndjson: return "jsonl"
        case .json: return "json"
        case .csv: return "csv"
        }
    }

    /// The CSV columns, in order.
    public static let csvColumns = [
        "id", "memory", "user_id", "agent_id", "app_id", "run_id", "metadata", "categories", "immutable",
        "expiration_date", "created_at", "updated_at", "hash", "lifecycle_state", "synthesized", "replaced_by",
    ]

    /// The bytes before the first memory.
    var header: [UInt8] {
        switch self {
        case .ndjson: return []
        case .json: return Array("[\n".utf8)
        case .csv: return Array((Self.csvColumns.joined(separator: ",") + "\n").utf8)
        }
    }

    /// The bytes after the last memory.
    var trailer: [UInt8] {
        self == .json ? Array("\n]\n".utf8) : []
    }

    /// One memory as the format writes it; `first` is true for the file's first memory.
    func encode(_ memory: Memory, first: Bool) -> [UInt8] {
        switch self {
        case .ndjson:
            return Self.json(memory) + [0x0A]
        case .json:
            return (first ? [] : Array(",\n".utf8)) + Self.json(memory)
        case .csv:
            return Array((Self.csvRow(memory).map(Self.csvField).joined(separator: ",") + "\n").utf8)
        }
    }

    /// The memory's JSON text (sorted keys, as its `Codable` form), written directly.
    static func json(_ memory: Memory) -> [UInt8] {
        Array(memory.jsonString().utf8)
    }

    /// The fields of one CSV row, in `csvColumns` order; empty for absent values.
    static func csvRow(_ m: Memory) -> [String] {
        [
            m.id, m.memory, m.scope.userID ?? "", m.scope.agentID ?? "", m.scope.appID ?? "", m.scope.runID ?? "",
            m.metadata.map { JSONValue.object($0).jsonString() } ?? "",
            m.categories.map { JSONValue.array($0.map { .string($0) }).jsonString() } ?? "",
            m.immutable.map { $0 ? "true" : "false" } ?? "", m.expirationDate ?? "",
            m.createdAt.map(MemoryTimestamp.format) ?? "", m.updatedAt.map(MemoryTimestamp.format) ?? "", m.hash ?? "",
            m.lifecycleState ?? "", m.synthesized.map { $0 ? "true" : "false" } ?? "", m.replacedBy ?? "",
        ]
    }

    /// RFC 4180 quoting: fields with a comma, quote, CR or LF are quoted, quotes doubled.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Rebuilds a memory from a CSV row this format wrote (the inverse of `csvRow`).
    ///
    /// - Throws: `PipelineError` `.wrongType` naming the column when a value is malformed.
    public static func memory(fromCSV row: CSVRow) throws -> Memory {
        func text(_ column: String) -> String? {
            guard let v = row[column], !v.isEmpty else { return nil }
            return v
        }
        guard let id = text("id") else { throw PipelineError(.wrongType, "the row has no id", path: "id") }
        var metadata: [String: JSONValue]?
        if let raw = text("metadata") {
            guard case .object(let o) = try? JSONValue.parse(raw) else {
                throw PipelineError(.wrongType, "metadata is not a JSON object", path: "metadata")
            }
            metadata = o
        }
        var categories: [String]?
        if let raw = text("categories") {
            guard case .array(let items) = try? JSONValue.parse(raw) else {
                throw PipelineError(.wrongType, "categories is not a JSON array", path: "categories")
            }
            categories = items.compactMap(\.stringValue)
        }
        func date(_ column: String) throws -> Date? {
            guard let raw = text(column) else { return nil }
            guard let d = MemoryTimestamp.parse(raw) else {
                throw PipelineError(.invalidTimestamp, "'\(raw)' is not a timestamp", path: column)
            }
            return d
        }
        return Memory(
            id: id, memory: row["memory"] ?? "",
            scope: Scope(
                userID: text("user_id"), agentID: text("agent_id"), appID: text("app_id"), runID: text("run_id")),
            metadata: metadata, categories: categories, immutable: text("immutable").map { $0 == "true" },
            expirationDate: text("expiration_date"), createdAt: try date("created_at"),
            updatedAt: try date("updated_at"), hash: text("hash"), lifecycleState: text("lifecycle_state"),
            synthesized: text("synthesized").map { $0 == "true" }, replacedBy: text("replaced_by"))
    }
}
