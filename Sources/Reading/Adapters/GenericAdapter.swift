import Foundation
import MemoryAPI

/// Generic CSV rows or JSON objects with a declared `FieldMapping`: one message per row,
/// consecutive rows with the same grouping key (and scope) gathered into one conversation.
public struct GenericAdapter: RecordAdapter {
    private struct Group {
        var key: String
        var scope: Scope
        var turns: [ConversationTurn]
        var locator: RecordLocator
        var metadata: [String: JSONValue]
    }

    private let builder: UnitBuilder
    private let mapping: FieldMapping
    private let decoding = RecordDecoding()
    private var group: Group?

    /// Creates the adapter.
    public init(builder: UnitBuilder) {
        self.builder = builder
        mapping = builder.options.mapping
    }

    /// Maps one row: adds it to the open group, or closes the group and starts another.
    public mutating func map(_ record: SourceRecord, into output: inout [AdapterOutput]) {
        let fields: Fields
        switch record.body {
        case .row(let row):
            fields = .row(row)
        case .json(let data):
            do {
                let value = try decoding.decode(JSONValue.self, from: data, at: record.locator)
                guard let object = value.objectValue else {
                    output.append(
                        .reject(
                            ImportReject(
                                reason: .wrongType, message: "expected an object, got \(value.typeDescription)",
                                locator: record.locator, path: "$", raw: ImportReject.cut(data))))
                    return
                }
                fields = .object(object)
            } catch {
                output.append(.reject(ImportReject(error, at: record.locator, raw: record.rawBytes)))
                return
            }
        }
        do {
            try mapRow(fields, record: record, into: &output)
        } catch {
            output.append(.reject(ImportReject(error, at: record.locator, raw: record.rawBytes)))
        }
    }

    /// Closes the last group.
    public mutating func finish(into output: inout [AdapterOutput]) { flush(into: &output) }

    private mutating func mapRow(_ fields: Fields, record: SourceRecord, into output: inout [AdapterOutput])
        throws(ReadingError)
    {
        let here = record.locator
        guard let content = try fields.string(mapping.content, at: here) else {
            throw ReadingError(
                .wrongType, "the content field '\(mapping.content)' is missing", at: here, path: mapping.content)
        }
        var roleText = "user"
        if let field = mapping.role, let value = try fields.string(field, at: here) { roleText = value.lowercased() }
        let role: MessageRole
        switch roleText {
        case "user", "human", "": role = .user
        case "assistant", "ai", "bot", "gpt": role = .assistant
        case "system", "developer":
            output.append(.skipped(reason: SkipReason.systemTurn, count: 1))
            return
        case "tool", "function":
            output.append(.skipped(reason: SkipReason.toolTurn, count: 1))
            return
        default:
            throw ReadingError(.unknownRole, "unknown role '\(roleText)'", at: here, path: mapping.role)
        }
        func id(_ field: String?) throws(ReadingError) -> String? {
            guard let field else { return nil }
            let value = try fields.string(field, at: here)
            return value?.isEmpty == true ? nil : value
        }
        let scope = Scope(
            userID: try id(mapping.userID), agentID: try id(mapping.agentID), appID: try id(mapping.appID),
            runID: try id(mapping.runID))
        var timestamp: Int64?
        if let field = mapping.timestamp, let text = try fields.string(field, at: here), !text.isEmpty {
            if let number = Double(text) {
                timestamp = try ImportTime.seconds(epoch: number, at: here, path: field)
            } else if let date = MemoryTimestamp.parse(text) {
                timestamp = try ImportTime.seconds(date, at: here, path: field)
            } else {
                throw ReadingError(.invalidTimestamp, "cannot parse the timestamp '\(text)'", at: here, path: field)
            }
        }
        let messageID = try id(mapping.id) ?? "row\(here.element ?? here.line ?? 0)"
        let groupKey = try id(mapping.group)
        var metadata: [String: JSONValue] = [:]
        for field in mapping.metadata {
            if let value = fields.value(field) { metadata[field] = value }
        }
        guard content.contains(where: { !$0.isWhitespace }) else {
            output.append(.skipped(reason: SkipReason.emptyTurn, count: 1))
            return
        }
        let turn = ConversationTurn(message: Message(role: role, text: content), id: messageID, timestamp: timestamp)
        if let open = group, let groupKey, open.key == groupKey, open.scope == scope {
            group?.turns.append(turn)
            return
        }
        flush(into: &output)
        var locator = here
        locator.conversationID = groupKey
        group = Group(key: groupKey ?? "", scope: scope, turns: [turn], locator: locator, metadata: metadata)
        if groupKey == nil { flush(into: &output) }
    }

    private mutating func flush(into output: inout [AdapterOutput]) {
        guard let open = group else { return }
        group = nil
        builder.adds(
            turns: open.turns, scope: open.scope, metadata: open.metadata, locator: open.locator, into: &output)
    }

    /// The fields of one row, from CSV or JSON.
    private enum Fields {
        case row(CSVRow)
        case object([String: JSONValue])

        func value(_ field: String) -> JSONValue? {
            switch self {
            case .row(let row): return row[field].map(JSONValue.string)
            case .object(let object):
                var current: JSONValue? = .object(object)
                for key in field.split(separator: ".") { current = current?[String(key)] }
                return current
            }
        }

        func string(_ field: String, at locator: RecordLocator) throws(ReadingError) -> String? {
            switch value(field) {
            case .none, .some(.null): return nil
            case .some(.string(let s)): return s
            case .some(.int(let i)): return String(i)
            case .some(.double(let d)): return String(d)
            case .some(let other):
                throw ReadingError(
                    .wrongType, "the field '\(field)' must be a string, got \(other.typeDescription)", at: locator,
                    path: field)
            }
        }
    }
}
