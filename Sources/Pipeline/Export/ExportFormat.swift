import Foundation
import MemoryAPI
import Reading

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

    /// The bytes before the first memory.
    var header: [UInt8] {
        switch self {
        case .ndjson: return []
        case .json: return Array("[\n".utf8)
        case .csv: return Array((MemoryCSV.columns.joined(separator: ",") + "\n").utf8)
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
            return Array((MemoryCSV.row(memory).map(MemoryCSV.field).joined(separator: ",") + "\n").utf8)
        }
    }

    /// The memory's JSON text (sorted keys, as its `Codable` form), written directly.
    static func json(_ memory: Memory) -> [UInt8] {
        Array(memory.jsonString().utf8)
    }
}
