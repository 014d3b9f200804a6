import Foundation
import MemoryAPI
import MemoryStore

/// The memory exports a running server has built, by project and id (kept in memory).
actor ExportRegistry {
    private var exports: [ProjectContext: [(id: String, filters: String, body: JSONValue)]] = [:]

    /// Keeps an export; returns its id.
    func add(_ body: JSONValue, filters: String, project: ProjectContext) -> String {
        let id = UUID().uuidString.lowercased()
        exports[project, default: []].append((id, filters, body))
        return id
    }

    /// An export by id.
    func get(id: String, project: ProjectContext) -> JSONValue? {
        exports[project]?.last { $0.id == id.lowercased() }?.body
    }

    /// The newest export made with the same filters.
    func get(filters: String, project: ProjectContext) -> JSONValue? {
        exports[project]?.last { $0.filters == filters }?.body
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
