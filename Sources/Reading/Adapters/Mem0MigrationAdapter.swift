import Foundation
import MemoryAPI

/// The official OSS-to-Platform migration's files: the artifact (`kind: mem0_oss_qdrant_export`,
/// its `records` streamed), a bare array of such records, and the review file
/// (`kind: mem0_platform_import_review`, whose `records[].record` are replayed).
///
/// Each record becomes one add with `infer=false`, as the script sends it: the text as one
/// message (with the record's `role`, user by default, and `actor_id` as the message's name), the
/// user, agent and run ids, the metadata with null values dropped plus the script's
/// `mem0_migration_*` keys (its import key among them, so the script skips what memport imported
/// and memport what the script did), and `created_at` as the add's `timestamp`. A record without
/// text, or without a user, agent or run id (and no `--user-id` and friends), is a reject.
public struct Mem0MigrationAdapter: RecordAdapter {
    private let builder: UnitBuilder
    private let decoding = RecordDecoding()
    private var cached: (head: Data, kind: String?, key: MigrationImportKey)?

    /// Creates the adapter.
    public init(builder: UnitBuilder) { self.builder = builder }

    /// Maps one record (an artifact element, a review item, or an artifact read whole).
    public mutating func map(_ record: SourceRecord, into output: inout [AdapterOutput]) {
        guard case .json(let data) = record.body else {
            output.append(
                .reject(
                    ImportReject(
                        reason: .wrongType, message: "the mem0-migration preset reads JSON, not CSV rows",
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
        let (kind, parts) = envelope(record)
        guard case .object(let object) = value else {
            output.append(
                .reject(
                    ImportReject(
                        reason: .wrongType, message: "expected a migration record, got \(value.typeDescription)",
                        locator: record.locator, raw: raw)))
            return
        }
        // An artifact or review file read whole (its records were not streamed: an NDJSON line).
        if let k = object["kind"]?.stringValue, k == EnvelopeRule.artifactKind || k == EnvelopeRule.reviewKind {
            guard case .array(let items)? = object["records"] else {
                output.append(
                    .reject(
                        ImportReject(
                            reason: .wrongType, message: "expected an array of records", locator: record.locator,
                            path: "records", raw: raw)))
                return
            }
            let wholeParts =
                k == EnvelopeRule.artifactKind ? Self.parts(object["source"]) : nil
            for (i, item) in items.enumerated() {
                var here = record.locator
                here.element = i
                mapItem(item, kind: k, parts: wholeParts, at: here, path: "records[\(i)]", into: &output)
            }
            return
        }
        mapItem(value, kind: kind, parts: parts, at: record.locator, path: nil, into: &output)
    }

    /// One artifact record, or one review item whose `record` is replayed.
    private func mapItem(
        _ value: JSONValue, kind: String?, parts: MigrationImportKey?, at locator: RecordLocator, path: String?,
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
        guard case .object(let outer) = value else {
            reject(.wrongType, "expected a migration record, got \(value.typeDescription)", nil)
            return
        }
        var object = outer
        var prefix: String?
        // A review item: `{status, error?, record}`.
        if kind == EnvelopeRule.reviewKind || (outer["record"] != nil && outer["memory"] == nil) {
            guard case .object(let inner)? = outer["record"] else {
                reject(.wrongType, "expected the review item's record object", "record")
                return
            }
            object = inner
            prefix = "record"
        }
        func field(_ name: String) -> String { [prefix, name].compactMap { $0 }.joined(separator: ".") }
        func string(_ name: String) throws(ReadingError) -> String? {
            switch object[name] {
            case nil, .null?: return nil
            case .string(let s)?: return s
            case let other?:
                throw ReadingError(.wrongType, "expected a string, got \(other.typeDescription)", path: field(name))
            }
        }
        do throws(ReadingError) {
            let id: String
            switch object["id"] {
            case .string(let s)?: id = s
            case .int(let i)?: id = String(i)
            case nil, .null?:
                throw ReadingError(.wrongType, "the required field 'id' is missing", path: field("id"))
            case let other?:
                throw ReadingError(
                    .wrongType, "expected a string or a number, got \(other.typeDescription)", path: field("id"))
            }
            let text = try string("memory") ?? ""
            let hash = try string("hash")
            let created = try string("created_at")
            _ = try string("updated_at")
            let recordSource = try string("source")
            let scope = Scope(
                userID: try string("user_id"), agentID: try string("agent_id"), runID: try string("run_id"))
            let actor = try string("actor_id")
            let role = try string("role")
            var metadata: [String: JSONValue] = [:]
            switch object["metadata"] {
            case nil, .null?: break
            case .object(let m)?: metadata = m.filter { !$0.value.isNull }
            case let other?:
                throw ReadingError(
                    .wrongType, "expected an object, got \(other.typeDescription)", path: field("metadata"))
            }
            switch object["source_payload"] {
            case nil, .null?, .object?: break
            case let other?:
                throw ReadingError(
                    .wrongType, "expected an object, got \(other.typeDescription)", path: field("source_payload"))
            }
            let here = locator.with(conversation: id)
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                output.append(
                    .reject(
                        ImportReject(
                            reason: .emptyRecord, message: "the record has no text ('memory' is empty or missing)",
                            locator: here, path: field("memory"), raw: raw)))
                return
            }
            if scope.userID == nil, scope.agentID == nil, scope.runID == nil, builder.options.defaultScope.isEmpty {
                output.append(
                    .reject(
                        ImportReject(
                            reason: .missingScope,
                            message: "the record has no user_id, agent_id or run_id (and no --user-id, --agent-id "
                                + "or --run-id was given)", locator: here, raw: raw)))
                return
            }
            let keyParts =
                parts ?? MigrationImportKey(recordSource: kind == EnvelopeRule.reviewKind ? recordSource : nil)
            metadata[MigrationImportKey.sourceField] = .string(
                recordSource ?? "\(keyParts.sdk)_oss_\(keyParts.vectorStore)")
            metadata[MigrationImportKey.collectionField] = .string(keyParts.collection)
            metadata[MigrationImportKey.localIDField] = .string(id)
            if let hash { metadata[MigrationImportKey.localHashField] = .string(hash) }
            metadata[MigrationImportKey.field] = .string(keyParts.key(recordID: id))
            let messageRole: MessageRole = role == "assistant" ? .assistant : .user
            let timestamp = created.flatMap(MemoryTimestamp.parse).map {
                Int64($0.timeIntervalSince1970.rounded(.down))
            }
            var units: [AdapterOutput] = []
            builder.adds(
                turns: [ConversationTurn(message: Message(role: messageRole, text: text, name: actor), id: id)],
                scope: scope, metadata: metadata, timestamp: timestamp, locator: here, into: &units)
            for item in units {
                if case .unit(var unit) = item, case .add(var request) = unit.payload {
                    request.infer = false
                    request.memportVerbatim = true
                    unit.payload = .add(request)
                    output.append(.unit(unit))
                } else {
                    output.append(item)
                }
            }
        } catch {
            output.append(.reject(ImportReject(error, at: locator, raw: Array(raw.utf8))))
        }
    }

    /// The envelope's kind and key parts, parsed once per envelope.
    private mutating func envelope(_ record: SourceRecord) -> (String?, MigrationImportKey?) {
        guard let head = record.envelope else { return (nil, .unknown) }
        if let cached, cached.head == head {
            return (cached.kind, cached.kind == EnvelopeRule.reviewKind ? nil : cached.key)
        }
        let object = (try? JSONDecoder().decode([String: JSONValue].self, from: head)) ?? [:]
        let kind = object["kind"]?.stringValue
        let key = Self.parts(object["source"])
        cached = (head, kind, key)
        return (kind, kind == EnvelopeRule.reviewKind ? nil : key)
    }

    static func parts(_ source: JSONValue?) -> MigrationImportKey {
        guard case .object(let s)? = source else { return .unknown }
        return MigrationImportKey(
            sdk: s["sdk"]?.stringValue, vectorStore: s["vector_store"]?.stringValue,
            collection: s["collection"]?.stringValue)
    }
}
