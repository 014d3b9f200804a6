import Foundation
import MemoryAPI
import MemoryStore

/// The memory exports a running server has built, by project and id, kept in memory within
/// bounds: at most ``maxPerProject`` exports and ``maxBytesPerProject`` bytes of them per
/// project (the oldest are dropped to make room), none larger than ``maxExportBytes``.
actor ExportRegistry {
    /// The most exports a project keeps.
    static let maxPerProject = 20
    /// The most bytes of exports a project keeps (64 MiB).
    static let maxBytesPerProject = 64 << 20
    /// The largest single export (16 MiB).
    static let maxExportBytes = 16 << 20

    private var exports: [ProjectContext: [(id: String, filters: String, body: Data)]] = [:]

    /// Keeps an export's JSON text, dropping the project's oldest exports past the bounds;
    /// returns its id, or nil when the export alone is larger than ``maxExportBytes``.
    func add(_ body: Data, filters: String, project: ProjectContext) -> String? {
        guard body.count <= Self.maxExportBytes else { return nil }
        let id = UUID().uuidString.lowercased()
        var list = exports[project, default: []]
        list.append((id, filters, body))
        var bytes = list.reduce(0) { $0 + $1.body.count }
        while list.count > Self.maxPerProject || bytes > Self.maxBytesPerProject {
            bytes -= list.removeFirst().body.count
        }
        exports[project] = list
        return id
    }

    /// An export by id.
    func get(id: String, project: ProjectContext) -> Data? {
        exports[project]?.last { $0.id == id.lowercased() }?.body
    }

    /// The newest export made with the same filters.
    func get(filters: String, project: ProjectContext) -> Data? {
        exports[project]?.last { $0.filters.isExactly(filters) }?.body
    }

    /// How many exports a project holds, and their bytes.
    func usage(project: ProjectContext) -> (count: Int, bytes: Int) {
        let list = exports[project] ?? []
        return (list.count, list.reduce(0) { $0 + $1.body.count })
    }

    /// How many times ``build(schema:texts:)`` writes the texts for `schema` (at least once).
    static func textCopies(schema: JSONValue) -> Int {
        let schemaObject = schema.objectValue ?? schema.stringValue.flatMap { try? JSONValue.parse($0).objectValue }
        guard let properties = schemaObject?["properties"]?.objectValue else { return 1 }
        let copies = properties.values.filter { ["array", "string"].contains($0["type"]?.stringValue ?? "") }.count
        return max(copies, 1)
    }

    /// Fills a JSON schema from memory texts, deterministically: array properties get the
    /// texts, string properties the texts joined by newlines, numbers the count, booleans
    /// whether there is any; without properties, `{"memories": [texts]}`.
    static func build(schema: JSONValue, texts: [String]) -> JSONValue {
        let schemaObject = schema.objectValue ?? schema.stringValue.flatMap { try? JSONValue.parse($0).objectValue }
        guard let properties = schemaObject?["properties"]?.objectValue, !properties.isEmpty else {
            return .object(["memories": .array(texts.map(JSONValue.string))])
        }
        var out: [String: JSONValue] = [:]
        for (name, spec) in properties {
            switch spec["type"]?.stringValue {
            case "array": out[name] = .array(texts.map(JSONValue.string))
            case "string": out[name] = .string(texts.joined(separator: "\n"))
            case "integer", "number": out[name] = .int(Int64(texts.count))
            case "boolean": out[name] = .bool(!texts.isEmpty)
            case "object": out[name] = .object([:])
            default: out[name] = .null
            }
        }
        return .object(out)
    }
}
