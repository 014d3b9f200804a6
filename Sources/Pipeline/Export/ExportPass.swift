import Foundation
import MemoryAPI
import Reading

/// One listing of an export: a filter paged to its end, the file its memories go to, and the
/// scope fields whose presence means an earlier pass already wrote a memory.
///
/// Without `--filters`, an export runs one pass per entity, by entity type in a fixed order
/// (users, agents, apps, runs; the `--split-by` type first). A memory is written by the pass of
/// the first type in that order for which it has an id: the agent pass of `a1` skips memories
/// that also carry a `user_id`, since the pass of that user wrote them. Every id on a memory is
/// an entity, so each memory is written exactly once, whatever ids it combines.
public struct ExportPass: Sendable, Hashable, Codable {
    /// What the pass lists, e.g. `user_id=alice` or `filters`.
    public var label: String
    /// The v2 filter as JSON text.
    public var filterJSON: String
    /// Memories with any of these ids set were written by an earlier pass and are skipped.
    public var skipIfSet: [EntityType]
    /// The file (relative to the output directory, or the output path itself) the pass writes.
    public var file: String
    /// The memories the entity list says the entity owns (`total_memories`), when it says.
    public var entityTotal: Int?

    /// Creates a pass.
    public init(
        label: String, filter: MemoryFilter, skipIfSet: [EntityType] = [], file: String, entityTotal: Int? = nil
    ) {
        self.label = label
        self.filterJSON = filter.json.jsonString()
        self.skipIfSet = skipIfSet
        self.file = file
        self.entityTotal = entityTotal
    }

    enum CodingKeys: String, CodingKey {
        case label, file
        case filterJSON = "filter"
        case skipIfSet = "skip_if_set"
        case entityTotal = "entity_total"
    }

    /// The filter.
    ///
    /// - Throws: `PipelineError` `.ledger` when a stored checkpoint holds a filter that no longer parses.
    public func filter() throws -> MemoryFilter {
        do {
            return try MemoryFilter.parse(jsonText: filterJSON)
        } catch {
            throw PipelineError(.ledger, "the export checkpoint holds a bad filter: \(MemoryAPIError.describe(error))")
        }
    }

    /// True when an earlier pass wrote `memory`.
    public func belongsEarlier(_ memory: Memory) -> Bool {
        skipIfSet.contains { memory.scope[$0] != nil }
    }

    /// The passes over every entity, de-duplicated as the type comment says.
    ///
    /// - Parameters:
    ///   - entities: the target's entities.
    ///   - splitBy: the type whose entities each get a file; nil writes everything to `single`.
    ///   - single: the output file name when not split.
    ///   - fileExtension: the extension of split files (with `.gz` when compressed).
    public static func plan(
        entities: [Entity], splitBy: EntityType?, single: String, fileExtension: String
    ) -> [ExportPass] {
        var order: [EntityType] = [.user, .agent, .app, .run]
        if let splitBy {
            order.removeAll { $0 == splitBy }
            order.insert(splitBy, at: 0)
        }
        var passes: [ExportPass] = []
        for (i, type) in order.enumerated() {
            var totals: [ExactText: Int] = [:]
            for entity in entities where entity.type == type {
                if let n = entity.totalMemories { totals[ExactText(entity.name), default: 0] += n }
            }
            // By bytes: `café` and `cafe\u{301}` are two users, each with its own pass.
            let ids = Set(entities.filter { $0.type == type }.map { ExactText($0.name) }).sorted().map(\.value)
            for id in ids {
                var scope = Scope()
                switch type {
                case .user: scope.userID = id
                case .agent: scope.agentID = id
                case .app: scope.appID = id
                case .run: scope.runID = id
                }
                guard let filter = MemoryFilter.scope(scope) else { continue }
                let file: String
                if let splitBy {
                    file =
                        type == splitBy
                        ? "\(splitBy.idField)=\(safeName(id)).\(fileExtension)"
                        : "no-\(splitBy.idField).\(fileExtension)"
                } else {
                    file = single
                }
                passes.append(
                    ExportPass(
                        label: "\(type.idField)=\(id)", filter: filter, skipIfSet: Array(order[..<i]), file: file,
                        entityTotal: totals[ExactText(id)]))
            }
        }
        return passes
    }

    /// A file-name-safe spelling: ASCII letters, digits, `-`, `_` and `.` kept, the rest `%XX`.
    static func safeName(_ id: String) -> String {
        var out = ""
        for byte in id.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_" || (c == "." && !out.isEmpty)) {
                out.append(c)
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out.isEmpty ? "%" : out
    }
}
