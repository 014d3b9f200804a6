import Foundation

extension MemoryFilter {
    /// The keys a filter object may have.
    public static let allowedKeys = [
        "AND", "OR", "NOT", "user_id", "agent_id", "app_id", "run_id", "session_id", "created_at", "updated_at",
        "timestamp", "expiration_date", "categories", "keywords", "memory_ids", "metadata",
    ]

    /// Parses a filter, naming the JSON path of the first bad node.
    ///
    /// - Parameters:
    ///   - json: the filter object.
    ///   - path: the name of the root in error paths (`filters`).
    /// - Throws: `MemoryAPIError` with code `.validation` and `path` set.
    public static func parse(_ json: JSONValue, path: String = "filters") throws -> MemoryFilter {
        try FilterParser().node(json, path, depth: 1)
    }

    /// The deepest nesting of filter objects (`AND`, `OR` and `NOT` each open one level).
    public static let maxDepth = 16
    /// The most operands of one `AND`, `OR` or `NOT` list.
    public static let maxBranches = 100
    /// The most field conditions in one filter.
    public static let maxConditions = 1000
    /// The most values in one `in` list.
    public static let maxListValues = 1000
    /// The most values in all `in` lists of one filter together.
    public static let maxTotalValues = 10_000
    /// The longest metadata key, in UTF-8 bytes.
    public static let maxMetadataKeyBytes = 256

    /// Parses filter JSON text.
    public static func parse(jsonText: String, path: String = "filters") throws -> MemoryFilter {
        let value: JSONValue
        do {
            value = try JSONValue.parse(jsonText)
        } catch {
            throw MemoryAPIError.invalid(at: path, "not valid JSON: \(MemoryAPIError.describe(error))")
        }
        return try parse(value, path: path)
    }
}

/// The recursive-descent parser behind `MemoryFilter.parse`.
struct FilterParser {
    typealias Fail = MemoryAPIError

    /// What the filter has used of its limits so far.
    final class Budget {
        var conditions = 0
        var values = 0
    }

    let budget = Budget()

    func node(_ value: JSONValue, _ path: String, depth: Int) throws -> MemoryFilter {
        if depth > MemoryFilter.maxDepth {
            throw Fail.invalid(
                at: path, "the filter is nested too deeply (the limit is \(MemoryFilter.maxDepth) levels)")
        }
        guard case .object(let object) = value else {
            throw Fail.invalid(at: path, "a filter must be an object, got \(value.typeDescription)")
        }
        if object.isEmpty { throw Fail.invalid(at: path, "a filter must not be empty") }
        var parts: [MemoryFilter] = []
        for (key, value) in object.sorted(by: { Self.keyOrder($0.key, $1.key) }) {
            parts += try member(key, value, path, depth: depth)
        }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    static func keyOrder(_ a: String, _ b: String) -> Bool {
        let logical = ["AND": 0, "OR": 1, "NOT": 2]
        switch (logical[a], logical[b]) {
        case (let x?, let y?): return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return a < b
        }
    }

    func member(_ key: String, _ value: JSONValue, _ parent: String, depth: Int) throws -> [MemoryFilter] {
        let path = parent + "." + key
        if !["AND", "OR", "NOT"].contains(key) {
            budget.conditions += 1
            if budget.conditions > MemoryFilter.maxConditions {
                throw Fail.invalid(
                    at: path, "the filter has more than \(MemoryFilter.maxConditions) conditions (the limit)")
            }
        }
        switch key {
        case "AND", "OR":
            let operands = try list(value, path, key, depth: depth)
            return [key == "AND" ? .and(operands) : .or(operands)]
        case "NOT":
            if case .array = value {
                let operands = try list(value, path, key, depth: depth)
                return [.not(operands.count == 1 ? operands[0] : .or(operands))]
            }
            return [.not(try node(value, path, depth: depth + 1))]
        case "user_id": return [try entity(.user, value, path)]
        case "agent_id": return [try entity(.agent, value, path)]
        case "app_id": return [try entity(.app, value, path)]
        case "run_id", "session_id": return [try entity(.run, value, path)]
        case "created_at": return [try time(.createdAt, value, path)]
        case "updated_at": return [try time(.updatedAt, value, path)]
        case "timestamp": return [try time(.timestamp, value, path)]
        case "expiration_date": return [try time(.expirationDate, value, path)]
        case "categories": return [try categories(value, path)]
        case "keywords": return [try keywords(value, path)]
        case "memory_ids": return [try memoryIDs(value, path)]
        case "metadata": return try metadata(value, path)
        case "and", "or", "not":
            throw Fail.invalid(at: path, "logical operators are upper case: use \(key.uppercased())")
        default:
            throw Fail.invalid(
                at: path,
                "unknown field '\(key)'; allowed: \(MemoryFilter.allowedKeys.joined(separator: ", "))")
        }
    }

    func list(_ value: JSONValue, _ path: String, _ name: String, depth: Int) throws -> [MemoryFilter] {
        guard case .array(let items) = value else {
            throw Fail.invalid(at: path, "\(name) takes a list of filters, got \(value.typeDescription)")
        }
        if items.isEmpty { throw Fail.invalid(at: path, "\(name) must not be empty") }
        if items.count > MemoryFilter.maxBranches {
            throw Fail.invalid(
                at: path, "\(name) has \(items.count) branches; the limit is \(MemoryFilter.maxBranches)")
        }
        return try items.enumerated().map { i, item in try node(item, "\(path)[\(i)]", depth: depth + 1) }
    }

    /// The operator object of a condition, as (operator, operand, path) in canonical order.
    func operators(
        _ object: [String: JSONValue], _ path: String, field: String, allowed: [FilterOperator],
        hint: String? = nil
    ) throws -> [(FilterOperator, JSONValue, String)] {
        if object.isEmpty {
            throw Fail.invalid(
                at: path, "\(field) needs an operator: \(allowed.map(\.rawValue).joined(separator: ", "))")
        }
        var out: [(FilterOperator, JSONValue, String)] = []
        for (key, operand) in object.sorted(by: { $0.key < $1.key }) {
            let opPath = path + "." + key
            guard let op = FilterOperator(rawValue: key), allowed.contains(op) else {
                var reason =
                    "unknown operator '\(key)' for \(field); allowed: \(allowed.map(\.rawValue).joined(separator: ", "))"
                if let hint { reason += " (\(hint))" }
                throw Fail.invalid(at: opPath, reason)
            }
            out.append((op, operand, opPath))
        }
        return out.sorted { $0.0.order < $1.0.order }
    }

    func string(_ value: JSONValue, _ path: String, _ what: String) throws -> String {
        guard case .string(let s) = value else {
            throw Fail.invalid(at: path, "\(what) must be a string, got \(value.typeDescription)")
        }
        return s
    }

    func strings(_ value: JSONValue, _ path: String, _ what: String) throws -> [String] {
        guard case .array(let items) = value else {
            throw Fail.invalid(at: path, "\(what) takes a list of strings, got \(value.typeDescription)")
        }
        if items.isEmpty { throw Fail.invalid(at: path, "\(what) needs at least one value") }
        try count(items.count, path, what)
        return try items.enumerated().map { i, v in try string(v, "\(path)[\(i)]", "each value") }
    }

    /// Counts the values of an `in` list against the filter's limits.
    func count(_ n: Int, _ path: String, _ what: String) throws {
        if n > MemoryFilter.maxListValues {
            throw Fail.invalid(at: path, "\(what) lists \(n) values; the limit is \(MemoryFilter.maxListValues)")
        }
        budget.values += n
        if budget.values > MemoryFilter.maxTotalValues {
            throw Fail.invalid(
                at: path, "the filter lists more than \(MemoryFilter.maxTotalValues) values in all (the limit)")
        }
    }

    func entity(_ type: EntityType, _ value: JSONValue, _ path: String) throws -> MemoryFilter {
        let field = type.idField
        func eq(_ s: String) -> FilterPredicate { FilterPredicate(.eq, s == "*" ? .wildcard : .string(s)) }
        switch value {
        case .string(let s):
            return .condition(FilterCondition(field: .entity(type), predicates: [eq(s)]))
        case .object(let object):
            let preds = try operators(object, path, field: field, allowed: [.eq, .ne, .in]).map {
                op, operand, opPath -> FilterPredicate in
                switch op {
                case .in: return FilterPredicate(.in, .strings(try strings(operand, opPath, "\(field).in")))
                case .ne: return FilterPredicate(.ne, .string(try string(operand, opPath, "\(field).ne")))
                default: return eq(try string(operand, opPath, "\(field).eq"))
                }
            }
            return .condition(FilterCondition(field: .entity(type), predicates: preds))
        default:
            throw Fail.invalid(
                at: path, "\(field) takes a string, \"*\" or an operator object, got \(value.typeDescription)")
        }
    }

    func date(_ value: JSONValue, _ path: String, field: FilterField) throws -> FilterDate {
        switch value {
        case .string(let s):
            if let d = FilterDate(s) { return d }
            throw Fail.invalid(at: path, "'\(s)' is not a date (YYYY-MM-DD) or an ISO 8601 timestamp")
        case .int, .double:
            if field == .timestamp, let number = value.doubleValue {
                guard let secs = MemoryTimestamp.epochSeconds(number) else {
                    throw Fail.invalid(at: path, "timestamp \(MemoryTimestamp.epochRule), got \(value.jsonString())")
                }
                return FilterDate(source: value, instant: Date(timeIntervalSince1970: secs), isDateOnly: false)
            }
            fallthrough
        default:
            throw Fail.invalid(
                at: path,
                "\(field.name) takes a date (YYYY-MM-DD) or an ISO 8601 timestamp, got \(value.typeDescription)")
        }
    }

    func time(_ field: FilterField, _ value: JSONValue, _ path: String) throws -> MemoryFilter {
        guard case .object(let object) = value else {
            let d = try date(value, path, field: field)
            return .condition(FilterCondition(field: field, predicates: [FilterPredicate(.eq, .date(d))]))
        }
        if object["eq"] != nil {
            throw Fail.invalid(at: path + ".eq", "\(field.name) takes a bare value for equality, not eq")
        }
        let preds = try operators(object, path, field: field.name, allowed: [.gt, .gte, .lt, .lte, .ne, .in]).map {
            op, operand, opPath -> FilterPredicate in
            if op == .in {
                guard case .array(let items) = operand, !items.isEmpty else {
                    throw Fail.invalid(at: opPath, "\(field.name).in takes a non-empty list of dates")
                }
                try count(items.count, opPath, "\(field.name).in")
                return FilterPredicate(
                    .in, .dates(try items.enumerated().map { i, v in try date(v, "\(opPath)[\(i)]", field: field) }))
            }
            return FilterPredicate(op, .date(try date(operand, opPath, field: field)))
        }
        return .condition(FilterCondition(field: field, predicates: preds))
    }

    func categories(_ value: JSONValue, _ path: String) throws -> MemoryFilter {
        switch value {
        case .array:
            let names = try strings(value, path, "categories")
            return .condition(FilterCondition(field: .categories, predicates: [FilterPredicate(.in, .strings(names))]))
        case .object(let object):
            let preds = try operators(
                object, path, field: "categories", allowed: [.in, .contains],
                hint: "in matches whole names, contains a substring"
            ).map { op, operand, opPath -> FilterPredicate in
                op == .in
                    ? FilterPredicate(.in, .strings(try strings(operand, opPath, "categories.in")))
                    : FilterPredicate(.contains, .string(try string(operand, opPath, "categories.contains")))
            }
            return .condition(FilterCondition(field: .categories, predicates: preds))
        default:
            throw Fail.invalid(
                at: path, "categories takes {\"in\": [...]} or {\"contains\": \"...\"}, got \(value.typeDescription)")
        }
    }

    func keywords(_ value: JSONValue, _ path: String) throws -> MemoryFilter {
        guard case .object(let object) = value else {
            throw Fail.invalid(
                at: path,
                "keywords takes {\"contains\": \"...\"} or {\"icontains\": \"...\"}, got \(value.typeDescription)")
        }
        let preds = try operators(object, path, field: "keywords", allowed: [.contains, .icontains]).map {
            op, operand, opPath in
            FilterPredicate(op, .string(try string(operand, opPath, "keywords.\(op.rawValue)")))
        }
        return .condition(FilterCondition(field: .keywords, predicates: preds))
    }

    func memoryIDs(_ value: JSONValue, _ path: String) throws -> MemoryFilter {
        let ids: [String]
        if case .object(let object) = value {
            let ops = try operators(object, path, field: "memory_ids", allowed: [.in])
            ids = try strings(ops[0].1, ops[0].2, "memory_ids.in")
        } else {
            ids = try strings(value, path, "memory_ids")
        }
        return .condition(FilterCondition(field: .memoryIDs, predicates: [FilterPredicate(.in, .strings(ids))]))
    }

    func scalar(_ value: JSONValue, _ path: String) throws -> JSONValue {
        switch value {
        case .string, .int, .double, .bool, .null: return value
        case .array:
            throw Fail.invalid(at: path, "metadata values must be scalars; use OR of equalities for several values")
        case .object:
            throw Fail.invalid(at: path, "nested metadata keys are not supported; filter on top-level keys")
        }
    }

    func metadata(_ value: JSONValue, _ path: String) throws -> [MemoryFilter] {
        guard case .object(let object) = value else {
            throw Fail.invalid(at: path, "metadata takes an object of top-level keys, got \(value.typeDescription)")
        }
        if object.isEmpty { throw Fail.invalid(at: path, "metadata needs at least one key") }
        return try object.sorted(by: { $0.key < $1.key }).map { key, value in
            let keyPath = path + "." + key
            try metadataKey(key, keyPath)
            let field = FilterField.metadata(key)
            guard case .object(let ops) = value else {
                let v = try scalar(value, keyPath)
                return .condition(FilterCondition(field: field, predicates: [FilterPredicate(.eq, .scalar(v))]))
            }
            let preds = try operators(
                ops, keyPath, field: "metadata", allowed: [.eq, .ne, .contains],
                hint: "metadata has no in, gt or lt"
            ).map { op, operand, opPath -> FilterPredicate in
                if op == .contains {
                    return FilterPredicate(.contains, .string(try string(operand, opPath, "metadata.contains")))
                }
                return FilterPredicate(op, .scalar(try scalar(operand, opPath)))
            }
            return .condition(FilterCondition(field: field, predicates: preds))
        }
    }

    /// Refuses a metadata key no JSON path can name: empty, too long, or with a NUL, a control
    /// character, a double quote or a backslash.
    func metadataKey(_ key: String, _ path: String) throws {
        if key.isEmpty { throw Fail.invalid(at: path, "a metadata key must not be empty") }
        if key.utf8.count > MemoryFilter.maxMetadataKeyBytes {
            throw Fail.invalid(
                at: path, "a metadata key is longer than \(MemoryFilter.maxMetadataKeyBytes) bytes (the limit)")
        }
        if key.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0x22 || $0 == 0x5C }) {
            throw Fail.invalid(
                at: path,
                "a metadata key in a filter must not contain NUL or other control characters, \" or \\")
        }
    }
}
