import Foundation
import GRDB
import MemoryAPI

/// A `MemoryFilter` compiled to a SQL boolean expression over the `memories` table, with every
/// value bound as a parameter.
///
/// The semantics are those of `MemoryFilter.matches`, which the store's tests compare it with:
/// `"*"` is "not null", `ne` also matches null, a date-only bound names a whole UTC day, and
/// `NOT` is two-valued (a null inside it counts as false, never as unknown).
///
/// ```swift
/// let sql = FilterSQL(filter)          // sql.sql: "(m.user_id = ? AND ...)", sql.arguments: ["alex", ...]
/// ```
public struct FilterSQL: Sendable, Hashable {
    /// The expression; it refers to the memories table as `m`.
    public var sql: String
    /// The values for its `?` placeholders, in order.
    public var arguments: [DatabaseValue]

    /// An expression that is always true.
    public static let always = FilterSQL(sql: "1", arguments: [])

    /// Creates an expression from its parts.
    public init(sql: String, arguments: [DatabaseValue]) {
        self.sql = sql
        self.arguments = arguments
    }

    /// Compiles a filter; `nil` compiles to true.
    public init(_ filter: MemoryFilter?) {
        guard let filter else {
            self = .always
            return
        }
        self = Self.compile(filter)
    }

    static func compile(_ f: MemoryFilter) -> FilterSQL {
        switch f {
        case .and(let xs):
            if xs.isEmpty { return .always }
            return join(xs.map(compile), "AND")
        case .or(let xs):
            if xs.isEmpty { return FilterSQL(sql: "0", arguments: []) }
            return join(xs.map(compile), "OR")
        case .not(let x):
            // A null inside a positive expression means "false" (see the type's doc), so fold it
            // to 0 at the boundary before negating.
            let inner = compile(x)
            return FilterSQL(sql: "(NOT IFNULL(\(inner.sql), 0))", arguments: inner.arguments)
        case .condition(let c):
            if c.predicates.isEmpty { return .always }
            return join(c.predicates.map { predicate(c.field, $0) }, "AND")
        }
    }

    static func join(_ parts: [FilterSQL], _ op: String) -> FilterSQL {
        if parts.count == 1 { return parts[0] }
        return FilterSQL(
            sql: "(" + parts.map(\.sql).joined(separator: " \(op) ") + ")",
            arguments: parts.flatMap(\.arguments))
    }

    static let never = FilterSQL(sql: "0", arguments: [])

    static func predicate(_ field: FilterField, _ p: FilterPredicate) -> FilterSQL {
        switch field {
        case .entity(let t): return stringColumn("m.\(t.idField)", p)
        case .memoryIDs: return stringColumn("m.id", p)
        case .createdAt, .timestamp: return dateColumn("m.created_at", p)
        case .updatedAt: return dateColumn("m.updated_at", p)
        case .expirationDate: return dateColumn("m.expiration_at", p)
        case .keywords:
            guard case .string(let needle) = p.value, p.op == .contains || p.op == .icontains else { return never }
            return FilterSQL(
                sql: "memport_contains(m.memory, ?, \(p.op == .icontains ? 1 : 0))",
                arguments: [needle.databaseValue])
        case .categories:
            switch p.value {
            case .strings(let names):
                if names.isEmpty { return never }
                let marks = Array(repeating: "?", count: names.count).joined(separator: ", ")
                return FilterSQL(
                    sql: "EXISTS (SELECT 1 FROM json_each(m.categories) c WHERE c.value IN (\(marks)))",
                    arguments: names.map(\.databaseValue))
            case .string(let needle):
                return FilterSQL(
                    sql: "EXISTS (SELECT 1 FROM json_each(m.categories) c WHERE memport_contains(c.value, ?, 1))",
                    arguments: [needle.databaseValue])
            default:
                return never
            }
        case .metadata(let key):
            return metadata(key, p)
        }
    }

    static func stringColumn(_ column: String, _ p: FilterPredicate) -> FilterSQL {
        switch (p.op, p.value) {
        case (_, .wildcard): return FilterSQL(sql: "\(column) IS NOT NULL", arguments: [])
        case (.eq, .string(let s)): return FilterSQL(sql: "\(column) = ?", arguments: [s.databaseValue])
        case (.ne, .string(let s)): return FilterSQL(sql: "\(column) IS NOT ?", arguments: [s.databaseValue])
        case (.in, .strings(let xs)):
            if xs.isEmpty { return never }
            let marks = Array(repeating: "?", count: xs.count).joined(separator: ", ")
            return FilterSQL(sql: "\(column) IN (\(marks))", arguments: xs.map(\.databaseValue))
        default: return never
        }
    }

    static func dateColumn(_ column: String, _ p: FilterPredicate) -> FilterSQL {
        func one(_ d: FilterDate, _ op: FilterOperator) -> FilterSQL {
            let lower = d.lowerBound.timeIntervalSince1970.databaseValue
            let upper = d.upperBound.timeIntervalSince1970.databaseValue
            let instant = d.instant.timeIntervalSince1970.databaseValue
            switch op {
            case .gte: return FilterSQL(sql: "\(column) >= ?", arguments: [lower])
            case .gt:
                return d.isDateOnly
                    ? FilterSQL(sql: "\(column) >= ?", arguments: [upper])
                    : FilterSQL(sql: "\(column) > ?", arguments: [instant])
            case .lte:
                return d.isDateOnly
                    ? FilterSQL(sql: "\(column) < ?", arguments: [upper])
                    : FilterSQL(sql: "\(column) <= ?", arguments: [instant])
            case .lt: return FilterSQL(sql: "\(column) < ?", arguments: [lower])
            case .eq, .in:
                return d.isDateOnly
                    ? FilterSQL(sql: "(\(column) >= ? AND \(column) < ?)", arguments: [lower, upper])
                    : FilterSQL(sql: "\(column) = ?", arguments: [instant])
            case .ne:
                let eq = one(d, .eq)
                return FilterSQL(sql: "(\(column) IS NULL OR NOT \(eq.sql))", arguments: eq.arguments)
            case .contains, .icontains: return never
            }
        }
        switch p.value {
        case .date(let d): return one(d, p.op)
        case .dates(let ds):
            if ds.isEmpty { return never }
            return join(ds.map { one($0, .eq) }, "OR")
        default:
            return p.op == .ne ? FilterSQL(sql: "\(column) IS NULL", arguments: []) : never
        }
    }

    /// The JSON path of a top-level metadata key. Plain keys are written into the SQL so the
    /// expression index on `memport_import_key` can serve it; any other key is bound.
    static func metadataPath(_ key: String) -> (sql: String, arguments: [DatabaseValue]) {
        let plain =
            !key.isEmpty
            && key.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
            }
        if plain { return ("'$.\(key)'", []) }
        let quoted = "$.\"" + key.replacingOccurrences(of: "\"", with: "\\\"") + "\""
        return ("?", [quoted.databaseValue])
    }

    static func metadata(_ key: String, _ p: FilterPredicate) -> FilterSQL {
        let path = metadataPath(key)
        let extract = "json_extract(m.metadata, \(path.sql))"
        let type = "json_type(m.metadata, \(path.sql))"
        func equal(_ v: JSONValue) -> FilterSQL {
            switch v {
            case .string(let s):
                return FilterSQL(
                    sql: "(\(extract) = ? AND \(type) = 'text')",
                    arguments: path.arguments + [s.databaseValue] + path.arguments)
            case .int, .double:
                return FilterSQL(
                    sql: "(\(type) IN ('integer', 'real') AND \(extract) = ?)",
                    arguments: path.arguments + path.arguments + [(v.doubleValue ?? 0).databaseValue])
            case .bool(let b):
                return FilterSQL(sql: "\(type) = '\(b ? "true" : "false")'", arguments: path.arguments)
            case .null:
                return FilterSQL(sql: "\(type) = 'null'", arguments: path.arguments)
            default:
                return never
            }
        }
        switch (p.op, p.value) {
        case (.eq, .scalar(let v)): return equal(v)
        case (.ne, .scalar(let v)):
            let eq = equal(v)
            return FilterSQL(sql: "(NOT IFNULL(\(eq.sql), 0))", arguments: eq.arguments)
        case (.contains, .string(let needle)):
            return FilterSQL(
                sql: "(\(type) = 'text' AND memport_contains(\(extract), ?, 0))",
                arguments: path.arguments + path.arguments + [needle.databaseValue])
        default:
            return never
        }
    }
}
