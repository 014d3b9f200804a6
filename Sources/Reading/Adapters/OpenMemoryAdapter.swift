import Foundation
import MemoryAPI

/// OpenMemory backups: the lines of `memories.jsonl.gz` (`{id, content, metadata, created_at,
/// updated_at, state, app, categories}`) or the `memories` of `memories.json` (with `app_id` and
/// `category_ids` resolved through the file's `apps` and `categories`).
///
/// Each memory becomes one add with `infer=false`: its content as one user message, the backup's
/// user as `user_id`, the app's name as `app_id` when asked (`--app-id-from-app`), its metadata
/// (null values dropped) and categories, `created_at` as the `timestamp`. A memory whose `state`
/// is not `active` is skipped by rule (`openmemory_<state>`) unless `--include-archived`.
public struct OpenMemoryAdapter: RecordAdapter {
    private let builder: UnitBuilder
    private let userID: String?
    private let decoding = RecordDecoding()
    private var cached: (head: Data, user: String?, apps: [String: String], categories: [String: String])?

    /// Creates the adapter; `userID` is the backup's user when the zip named it.
    public init(builder: UnitBuilder, userID: String?) {
        self.builder = builder
        self.userID = userID
    }

    /// Maps one memory.
    public mutating func map(_ record: SourceRecord, into output: inout [AdapterOutput]) {
        guard case .json(let data) = record.body else {
            output.append(
                .reject(
                    ImportReject(
                        reason: .wrongType, message: "the openmemory preset reads JSON, not CSV rows",
                        locator: record.locator)))
            return
        }
        let raw = ImportReject.cut(record.rawBytes)
        let value: JSONValue
        do {
            value = try decoding.decode(JSONValue.self, from: data, at: record.locator)
        } catch {
            output.append(.reject(ImportReject(error, at: record.locator, raw: record.rawBytes)))
            return
        }
        let context = envelope(record)
        do throws(ReadingError) {
            guard case .object(let o) = value else {
                throw ReadingError(.wrongType, "expected a memory object, got \(value.typeDescription)", path: "$")
            }
            func string(_ name: String) throws(ReadingError) -> String? {
                switch o[name] {
                case nil, .null?: return nil
                case .string(let s)?: return s
                case let other?:
                    throw ReadingError(.wrongType, "expected a string, got \(other.typeDescription)", path: name)
                }
            }
            func strings(_ name: String) throws(ReadingError) -> [String]? {
                switch o[name] {
                case nil, .null?: return nil
                case .array(let items)?:
                    var out: [String] = []
                    for (i, item) in items.enumerated() {
                        guard case .string(let s) = item else {
                            throw ReadingError(
                                .wrongType, "expected a string, got \(item.typeDescription)", path: "\(name)[\(i)]")
                        }
                        out.append(s)
                    }
                    return out
                case let other?:
                    throw ReadingError(.wrongType, "expected an array, got \(other.typeDescription)", path: name)
                }
            }
            let id: String?
            switch o["id"] {
            case nil, .null?: id = nil
            case .string(let s)?: id = s
            case .int(let i)?: id = String(i)
            case let other?:
                throw ReadingError(.wrongType, "expected a string, got \(other.typeDescription)", path: "id")
            }
            let content = try string("content") ?? ""
            let state = try string("state") ?? "active"
            let created = try string("created_at")
            var metadata: [String: JSONValue] = [:]
            switch o["metadata"] {
            case nil, .null?: break
            case .object(let m)?: metadata = m.filter { !$0.value.isNull }
            case let other?:
                throw ReadingError(.wrongType, "expected an object, got \(other.typeDescription)", path: "metadata")
            }
            var app = try string("app")
            if app == nil, let appID = try string("app_id") { app = context?.apps[appID] }
            var categories = try strings("categories")
            if categories == nil, let ids = try strings("category_ids") {
                categories = ids.compactMap { context?.categories[$0] }
            }
            let here = record.locator.with(conversation: id)
            if state != "active", !builder.options.includeArchived {
                output.append(.skipped(reason: "openmemory_\(state)", count: 1))
                return
            }
            if content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw ReadingError(.emptyRecord, "the memory has no content", at: here, path: "content")
            }
            var scope = Scope(userID: context?.user ?? userID)
            if builder.options.appIDFromApp, let app { scope.appID = app }
            if let id, metadata[Mem0DumpAdapter.sourceIDField] == nil {
                metadata[Mem0DumpAdapter.sourceIDField] = .string(id)
            }
            if state != "active" { metadata["openmemory_state"] = .string(state) }
            let timestamp = created.flatMap(MemoryTimestamp.parse).map {
                Int64($0.timeIntervalSince1970.rounded(.down))
            }
            var units: [AdapterOutput] = []
            builder.adds(
                turns: [ConversationTurn(message: Message(role: .user, text: content), id: id)],
                scope: scope.isEmpty ? Scope() : scope, metadata: metadata, timestamp: timestamp, locator: here,
                into: &units)
            for item in units {
                if case .unit(var unit) = item, case .add(var request) = unit.payload {
                    request.infer = false
                    request.memportVerbatim = true
                    if let categories, !categories.isEmpty { request.memportCategories = categories }
                    unit.payload = .add(request)
                    output.append(.unit(unit))
                } else {
                    output.append(item)
                }
            }
        } catch {
            output.append(.reject(ImportReject(error, at: record.locator, raw: Array(raw.utf8))))
        }
    }

    /// The user, apps and categories of a `memories.json` head, parsed once.
    private mutating func envelope(
        _ record: SourceRecord
    ) -> (user: String?, apps: [String: String], categories: [String: String])? {
        guard let head = record.envelope else { return nil }
        if let cached, cached.head == head { return (cached.user, cached.apps, cached.categories) }
        let object = (try? JSONDecoder().decode([String: JSONValue].self, from: head)) ?? [:]
        func names(_ key: String) -> [String: String] {
            var out: [String: String] = [:]
            for item in object[key]?.arrayValue ?? [] {
                if let id = item["id"]?.stringValue, let name = item["name"]?.stringValue { out[id] = name }
            }
            return out
        }
        let entry = (head, object["user"]?["user_id"]?.stringValue, names("apps"), names("categories"))
        cached = entry
        return (entry.1, entry.2, entry.3)
    }
}
