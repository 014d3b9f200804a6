import Foundation
import MemoryAPI

/// Mem0 memory dumps: `get_all` results as NDJSON, a bare array, or page envelopes; and the
/// official `mem0` CLI's files: the `import` array (text under `memory`, `text` or `content`),
/// the `list -o json` / `--json` envelope (its `data`, with its `scope` for memories that carry
/// none; an envelope whose `status` is not `success` is a `source_error` reject), and the raw
/// objects and arrays `get -o json` and `search -o json` print. A memory without an id is keyed
/// by its place, scope and content like any other unit; an id, when present, is its identity.
///
/// Each memory becomes an add with `infer=false`, its text as one user message, its scope and
/// metadata kept and `created_at` as `timestamp`; or, in `update` mode, a `batch_update` item
/// addressed by its id.
public struct Mem0DumpAdapter: RecordAdapter {
    private let builder: UnitBuilder
    private let decoding = RecordDecoding()
    private var cachedEnvelope: (head: Data, scope: Scope?)?

    /// The metadata key naming the id a restored or migrated memory had at its origin.
    public static let sourceIDField = "memport_source_id"

    /// Creates the adapter.
    public init(builder: UnitBuilder) { self.builder = builder }

    /// Maps one memory (or one page of memories) into units.
    public mutating func map(_ record: SourceRecord, into output: inout [AdapterOutput]) {
        let data: Data
        switch record.body {
        case .json(let bytes): data = Data(bytes)
        case .row(let row):
            // memport's own CSV export: flat columns, metadata and categories as JSON columns.
            do {
                emit(try MemoryCSV.memory(from: row), locator: record.locator, into: &output)
            } catch let error as ReadingError {
                var located = error
                located.locator = record.locator
                output.append(.reject(ImportReject(located, at: record.locator, raw: record.rawBytes)))
            } catch {
                output.append(
                    .reject(
                        ImportReject(
                            ReadingError(.wrongType, "\(error)"), at: record.locator, raw: record.rawBytes)))
            }
            return
        }
        let fallback = envelopeScope(record)
        let firstError: ReadingError
        do {
            // The fast path: a memory as the API returns it.
            let memory = try decoding.decode(Memory.self, from: data, at: record.locator)
            emit(memory, locator: record.locator, fallbackScope: fallback, into: &output)
            return
        } catch {
            firstError = error
        }
        mapLoose(record, data: data, firstError: firstError, fallbackScope: fallback, into: &output)
    }

    /// The slow path: id-less memories, the `mem0 import` array's `text` and `content`, CLI
    /// envelopes read whole (`get --json`, an error envelope), and page envelopes on one line.
    private mutating func mapLoose(
        _ record: SourceRecord, data: Data, firstError: ReadingError, fallbackScope: Scope?,
        into output: inout [AdapterOutput]
    ) {
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: data) else {
            output.append(.reject(ImportReject(firstError, at: record.locator, raw: record.rawBytes)))
            return
        }
        if let status = object["status"], object["command"] != nil || object["error"] != nil || object["data"] != nil {
            mapCLIEnvelope(object, status: status, record: record, into: &output)
            return
        }
        if object["memory"] == nil, object["text"] == nil, object["content"] == nil,
            let results = object["results"]
        {
            guard case .array(let items) = results else {
                output.append(
                    .reject(
                        ImportReject(
                            reason: .wrongType, message: "expected an array of memories", locator: record.locator,
                            path: "results", raw: ImportReject.cut(record.rawBytes))))
                return
            }
            for (i, item) in items.enumerated() {
                var here = record.locator
                here.element = i
                mapObject(item, at: here, path: "results[\(i)]", fallbackScope: fallbackScope, into: &output)
            }
            return
        }
        mapObject(.object(object), at: record.locator, path: nil, fallbackScope: fallbackScope, into: &output)
    }

    /// A CLI envelope read whole: an error is a reject naming it; `data` is one memory or a list.
    private mutating func mapCLIEnvelope(
        _ object: [String: JSONValue], status: JSONValue, record: SourceRecord, into output: inout [AdapterOutput]
    ) {
        let command = object["command"]?.stringValue ?? "?"
        guard let text = status.stringValue else {
            output.append(
                .reject(
                    ImportReject(
                        reason: .wrongType, message: "expected a string, got \(status.typeDescription)",
                        locator: record.locator, path: "status", raw: ImportReject.cut(record.rawBytes))))
            return
        }
        if text != "success" {
            let error = object["error"]?.stringValue ?? object["error"].map { $0.jsonString() } ?? "no error message"
            output.append(
                .reject(
                    ImportReject(
                        reason: .sourceError,
                        message: "the mem0 CLI's '\(command)' command failed (status \(text)): \(error)",
                        locator: record.locator, path: "status", raw: ImportReject.cut(record.rawBytes))))
            return
        }
        var scope: Scope?
        if let s = object["scope"] {
            guard case .object(let o) = s else {
                output.append(
                    .reject(
                        ImportReject(
                            reason: .wrongType, message: "expected an object, got \(s.typeDescription)",
                            locator: record.locator, path: "scope", raw: ImportReject.cut(record.rawBytes))))
                return
            }
            scope = Self.scope(o)
        }
        switch object["data"] ?? .null {
        case .null:
            output.append(
                .reject(
                    ImportReject(
                        reason: .emptyRecord, message: "the mem0 CLI's '\(command)' output holds no memory",
                        locator: record.locator, path: "data", raw: ImportReject.cut(record.rawBytes))))
        case .array(let items):
            for (i, item) in items.enumerated() {
                var here = record.locator
                here.element = i
                mapObject(item, at: here, path: "data[\(i)]", fallbackScope: scope, into: &output)
            }
        case let item:
            mapObject(item, at: record.locator, path: "data", fallbackScope: scope, into: &output)
        }
    }

    /// The metadata key marking a memory Dream's Synthesis wrote: a restored or migrated copy is
    /// tagged, not added as a plain fact (its evidence is restored beside it).
    public static let synthesizedField = "memport_synthesized"
    /// The metadata key keeping the Dream lifecycle state a memory had at its origin.
    public static let lifecycleStateField = "memport_lifecycle_state"
    /// The metadata key keeping the origin id of the memory that superseded or absorbed this one.
    public static let replacedByField = "memport_replaced_by"

    /// Keeps a memory's Dream lifecycle in the metadata of its copy (a target cannot be told a
    /// memory's lifecycle state): `memport_synthesized: true`, `memport_lifecycle_state` and
    /// `memport_replaced_by`, when the memory has them (an `active`, non-synthesized memory adds nothing).
    static func tagLifecycle(_ memory: Memory, in metadata: inout [String: JSONValue]) {
        if memory.synthesized == true { metadata[synthesizedField] = .bool(true) }
        if let state = memory.lifecycleState, state != MemoryLifecycle.active {
            metadata[lifecycleStateField] = .string(state)
        }
        if let replacedBy = memory.replacedBy { metadata[replacedByField] = .string(replacedBy) }
    }

    /// The Dream lifecycle state of a memory or of a copy memport restored or migrated (kept in
    /// its metadata); nil reads as active. A listing that leaves out `lifecycle_state` (the
    /// platform's v3 listing names only `replaced_by`) still marks a replaced memory: one with
    /// `replaced_by` reads as superseded.
    public static func lifecycleState(of memory: Memory) -> String? {
        if let state = memory.lifecycleState ?? memory.metadata?[lifecycleStateField]?.stringValue { return state }
        if memory.replacedBy != nil || memory.metadata?[replacedByField] != nil { return MemoryLifecycle.superseded }
        return nil
    }

    /// One memory object, with or without an id, its text under `memory`, `text` or `content`
    /// (that precedence, as `mem0 import` reads it).
    private mutating func mapObject(
        _ value: JSONValue, at locator: RecordLocator, path: String?, fallbackScope: Scope?,
        into output: inout [AdapterOutput]
    ) {
        let raw = ImportReject.cut(Array(value.jsonString().utf8))
        func reject(_ reason: ReadingError.Code, _ message: String, _ field: String?) {
            let full = [path, field].compactMap { $0 }.joined(separator: ".")
            output.append(
                .reject(
                    ImportReject(
                        reason: reason, message: message, locator: locator, path: full.isEmpty ? nil : full, raw: raw)))
        }
        guard case .object(var object) = value else {
            reject(.wrongType, "expected a memory object, got \(value.typeDescription)", nil)
            return
        }
        var text: String?
        for key in ["memory", "text", "content"] {
            guard let v = object[key] else { continue }
            guard case .string(let s) = v else {
                reject(.wrongType, "expected a string, got \(v.typeDescription)", key)
                return
            }
            text = s
            break
        }
        if text == nil, let inner = object["data"]?["memory"]?.stringValue { text = inner }
        guard let text else {
            reject(.emptyRecord, "the memory has no text (no 'memory', 'text' or 'content' field)", "memory")
            return
        }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            reject(.emptyRecord, "the memory's text is empty", "memory")
            return
        }
        object["memory"] = .string(text)
        switch object["id"] {
        case nil, .null?: object["id"] = .string("")
        case .string?, .int?: break
        case let other?:
            reject(.wrongType, "expected a string or a number, got \(other.typeDescription)", "id")
            return
        }
        do {
            let memory = try decoding.decode(
                Memory.self, from: Data(JSONValue.object(object).jsonString().utf8), at: locator)
            emit(memory, locator: locator, fallbackScope: fallbackScope, into: &output)
        } catch {
            var located = error
            if let p = path, let inner = located.path { located.path = p + "." + inner }
            output.append(.reject(ImportReject(located, at: locator, raw: Array(raw.utf8))))
        }
    }

    /// The scope of the envelope a streamed element came from (the CLI's `scope`), parsed once.
    private mutating func envelopeScope(_ record: SourceRecord) -> Scope? {
        guard let head = record.envelope else { return nil }
        if let cached = cachedEnvelope, cached.head == head { return cached.scope }
        var scope: Scope?
        if let object = try? JSONDecoder().decode([String: JSONValue].self, from: head),
            case .object(let s)? = object["scope"]
        {
            scope = Self.scope(s)
        }
        cachedEnvelope = (head, scope)
        return scope
    }

    static func scope(_ o: [String: JSONValue]) -> Scope {
        Scope(
            userID: o["user_id"]?.stringValue, agentID: o["agent_id"]?.stringValue, appID: o["app_id"]?.stringValue,
            runID: o["run_id"]?.stringValue ?? o["session_id"]?.stringValue)
    }

    /// Maps one decoded memory (restore, migrate); an empty id means the source gave none, and
    /// the unit is keyed by its place, scope and content alone. A memory without a scope takes
    /// `fallbackScope` (the CLI envelope's `scope`).
    public func emit(
        _ memory: Memory, locator: RecordLocator, fallbackScope: Scope? = nil, into output: inout [AdapterOutput]
    ) {
        let sourceID: String? = memory.id.isEmpty ? nil : memory.id
        let scope = memory.scope.isEmpty ? (fallbackScope ?? memory.scope) : memory.scope
        let here = locator.with(conversation: sourceID)
        switch builder.options.mem0Mode {
        case .update:
            guard let sourceID else {
                output.append(
                    .reject(
                        ImportReject(
                            reason: .wrongType, message: "an update needs the memory's id, and this memory has none",
                            locator: here, path: "id")))
                return
            }
            output.append(
                builder.update(
                    BatchUpdateItem(memoryID: sourceID, text: memory.memory, metadata: memory.metadata), locator: here)
            )
        case .add:
            var metadata = memory.metadata ?? [:]
            // The id of the memory's origin: kept through chains of exports, restores and migrations.
            if metadata[Self.sourceIDField] == nil, let sourceID { metadata[Self.sourceIDField] = .string(sourceID) }
            Self.tagLifecycle(memory, in: &metadata)
            var timestamp: Int64?
            if let created = memory.createdAt {
                let checked = Result { () throws(ReadingError) -> Int64 in
                    try ImportTime.seconds(created, at: here, path: "created_at")
                }
                switch checked {
                case .success(let seconds): timestamp = seconds
                case .failure(let error):
                    output.append(.reject(ImportReject(error, at: here, raw: nil)))
                    return
                }
            }
            var units: [AdapterOutput] = []
            builder.adds(
                turns: [ConversationTurn(message: Message(role: .user, text: memory.memory), id: sourceID)],
                scope: scope, metadata: metadata,
                timestamp: timestamp, locator: here,
                into: &units)
            for item in units {
                if case .unit(var unit) = item, case .add(var request) = unit.payload {
                    request.immutable = memory.immutable
                    request.expirationDate = memory.expirationDate
                    request.memportCategories = memory.categories
                    request.memportVerbatim = true
                    unit.payload = .add(request)
                    output.append(.unit(unit))
                } else {
                    output.append(item)
                }
            }
        }
    }
}
