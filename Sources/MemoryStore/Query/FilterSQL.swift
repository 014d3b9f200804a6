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

    /// Joins parts as a balanced tree, `((a AND b) AND (c AND d))`: SQLite parses a flat chain
    /// as a tree as deep as it is long and refuses one deeper than 1,000.
    static func join(_ parts: [FilterSQL], _ op: String) -> FilterSQL {
        if parts.count == 1 { return parts[0] }
        if parts.count == 2 {
            return FilterSQL(
                sql: "(" + parts[0].sql + " \(op) " + parts[1].sql + ")",
                arguments: parts[0].arguments + parts[1].arguments)
        }
        let middle = parts.count / 2
        return join([join(Array(parts[..<middle]), op), join(Array(parts[middle...]), op)], op)
    }

    /// The placeholder and value that bind `text` with all its bytes: GRDB binds a Swift string
    /// up to its first NUL, so a string holding one is bound as a blob and cast back to text.
    static func text(_ text: String) -> (mark: String, value: DatabaseValue) {
        guard text.utf8.contains(0) else { return ("?", text.databaseValue) }
        return ("CAST(? AS TEXT)", Data(text.utf8).databaseValue)
    }

    /// `column IN (…)` over exactly bound texts.
    static func inList(_ column: String, _ texts: [String]) -> FilterSQL {
        let bound = texts.map(text)
        return FilterSQL(
            sql: "\(column) IN (\(bound.map(\.mark).joined(separator: ", ")))", arguments: bound.map(\.value))
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
                sql: "memport_contains(CAST(m.memory AS BLOB), ?, \(p.op == .icontains ? 1 : 0))",
                arguments: [Data(needle.utf8).databaseValue])
        case .categories:
            switch p.value {
            case .strings(let names):
                if names.isEmpty { return never }
                let list = inList("c.value", names)
                return FilterSQL(
                    sql: "EXISTS (SELECT 1 FROM json_each(m.categories) c WHERE \(list.sql))",
                    arguments: list.arguments)
            case .string(let needle):
                return FilterSQL(
                    sql: "EXISTS (SELECT 1 FROM json_each(m.categories) c "
                        + "WHERE memport_contains(CAST(c.value AS BLOB), ?, 1))",
                    arguments: [Data(needle.utf8).databaseValue])
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
        case (.eq, .string(let s)):
            let t = text(s)
            return FilterSQL(sql: "\(column) = \(t.mark)", arguments: [t.value])
        case (.ne, .string(let s)):
            let t = text(s)
            return FilterSQL(sql: "\(column) IS NOT \(t.mark)", arguments: [t.value])
        case (.in, .strings(let xs)):
            if xs.isEmpty { return never }
            return inList(column, xs)
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
        // The filter parser refuses keys with a quote, a backslash or a control character, which
        // a quoted JSON path label cannot hold.
        let quoted = "$.\"" + key + "\""
        return ("?", [quoted.databaseValue])
    }

    static func metadata(_ key: String, _ p: FilterPredicate) -> FilterSQL {
        let path = metadataPath(key)
        let extract = "json_extract(m.metadata, \(path.sql))"
        let type = "json_type(m.metadata, \(path.sql))"
        func equal(_ v: JSONValue) -> FilterSQL {
            switch v {
            case .string(let s):
                let t = text(s)
                return FilterSQL(
                    sql: "(\(extract) = \(t.mark) AND \(type) = 'text')",
                    arguments: path.arguments + [t.value] + path.arguments)
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
                sql: "(\(type) = 'text' AND memport_contains(CAST(\(extract) AS BLOB), ?, 0))",
                arguments: path.arguments + path.arguments + [Data(needle.utf8).databaseValue])
        default:
            return never
        }
    }
}
