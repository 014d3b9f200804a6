import Foundation

/// A v2/v3 memory filter (contract §6) as a typed tree.
///
/// Parse it from JSON with ``parse(_:path:)``; a bad node is a `MemoryAPIError` with code
/// `.validation` whose `path` names it, e.g. `filters.AND[2].created_at.gte`. ``json`` encodes
/// it back to equivalent JSON, and parse → encode → parse gives the same tree.
///
/// ```swift
/// let f = try MemoryFilter.parse(["AND": [["user_id": "alex"], ["created_at": ["gte": "2024-07-01"]]]])
/// f.matches(memory)   // evaluates in memory, with the same semantics the store compiles to SQL
/// ```
///
/// Semantics memport fixes where the platform documents none:
/// - sibling keys of one object are ANDed (also `AND` beside `OR`, which the platform drops);
/// - `NOT` with a list of several filters excludes what matches any of them (`NOT (a OR b)`);
/// - a date-only bound names a whole UTC day (see ``FilterDate``).
public indirect enum MemoryFilter: Sendable, Hashable {
    /// Every operand holds.
    case and([MemoryFilter])
    /// At least one operand holds.
    case or([MemoryFilter])
    /// The operand does not hold.
    case not(MemoryFilter)
    /// A condition on one field.
    case condition(FilterCondition)
}

/// A condition on one field: every predicate must hold.
public struct FilterCondition: Sendable, Hashable {
    /// The field.
    public var field: FilterField
    /// The predicates, in canonical operator order; never empty.
    public var predicates: [FilterPredicate]

    /// Creates a condition; predicates are put in canonical order.
    public init(field: FilterField, predicates: [FilterPredicate]) {
        self.field = field
        self.predicates = predicates.sorted { $0.op.order < $1.op.order }
    }
}

/// A field a filter can test.
public enum FilterField: Sendable, Hashable {
    /// `user_id`, `agent_id`, `app_id`, `run_id` (`session_id` is read as `run_id`).
    case entity(EntityType)
    /// `created_at`.
    case createdAt
    /// `updated_at`.
    case updatedAt
    /// `timestamp`: the memory's creation time, which `timestamp` on add back-dates.
    case timestamp
    /// `expiration_date`.
    case expirationDate
    /// `categories`.
    case categories
    /// `keywords`: a substring of the memory text.
    case keywords
    /// `memory_ids`.
    case memoryIDs
    /// One top-level key of `metadata`.
    case metadata(String)

    /// The field's name in JSON (`metadata` for every metadata key).
    public var name: String {
        switch self {
        case .entity(let t): return t.idField
        case .createdAt: return "created_at"
        case .updatedAt: return "updated_at"
        case .timestamp: return "timestamp"
        case .expirationDate: return "expiration_date"
        case .categories: return "categories"
        case .keywords: return "keywords"
        case .memoryIDs: return "memory_ids"
        case .metadata: return "metadata"
        }
    }

    /// `true` for the time fields.
    public var isTime: Bool {
        switch self {
        case .createdAt, .updatedAt, .timestamp, .expirationDate: return true
        default: return false
        }
    }
}

/// A comparison operator. `eq` is the bare-value form (`{"user_id": "alex"}`).
public enum FilterOperator: String, Sendable, Hashable, CaseIterable {
    /// Equal (the bare value).
    case eq
    /// Not equal; also true where the field is null.
    case ne
    /// One of a list.
    case `in`
    /// Greater than.
    case gt
    /// Greater than or equal.
    case gte
    /// Less than.
    case lt
    /// Less than or equal.
    case lte
    /// Contains a substring (case-sensitive, but case-insensitive on categories).
    case contains
    /// Contains a substring, ignoring case.
    case icontains

    var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}

/// One operator and its operand.
public struct FilterPredicate: Sendable, Hashable {
    /// The operator.
    public var op: FilterOperator
    /// The operand.
    public var value: FilterValue

    /// Creates a predicate.
    public init(_ op: FilterOperator, _ value: FilterValue) {
        self.op = op
        self.value = value
    }
}

/// An operand.
public enum FilterValue: Sendable, Hashable {
    /// `"*"`: any non-null value.
    case wildcard
    /// A string.
    case string(String)
    /// A list of strings (`in`).
    case strings([String])
    /// A date or timestamp.
    case date(FilterDate)
    /// A list of dates (`in` on a time field).
    case dates([FilterDate])
    /// A metadata scalar: string, number, boolean or null.
    case scalar(JSONValue)
}

/// A date operand as written, and the instants it names.
///
/// A date-only value (`2024-07-31`) names the whole UTC day: `gte` starts at its midnight,
/// `lte` runs to the end of the day, `gt` starts at the next midnight, `lt` ends at its midnight,
/// and equality means "on that day". A full timestamp names one instant.
public struct FilterDate: Sendable, Hashable {
    /// The value as written (a string, or epoch seconds for `timestamp`).
    public var source: JSONValue
    /// The instant: midnight UTC for a date-only value.
    public var instant: Date
    /// `true` for `YYYY-MM-DD`.
    public var isDateOnly: Bool

    /// Creates a date operand.
    public init(source: JSONValue, instant: Date, isDateOnly: Bool) {
        self.source = source
        self.instant = instant
        self.isDateOnly = isDateOnly
    }

    /// Parses `YYYY-MM-DD` or ISO 8601 text.
    public init?(_ text: String) {
        guard let p = MemoryTimestamp.parseDetailed(text) else { return nil }
        self.init(source: .string(text), instant: p.date, isDateOnly: p.isDateOnly)
    }

    /// The first instant the value names.
    public var lowerBound: Date { instant }
    /// The first instant after the value: the next midnight for a date, the instant itself otherwise.
    public var upperBound: Date { isDateOnly ? instant.addingTimeInterval(86_400) : instant }

    /// Whether `date` satisfies `op` against this operand (`in` is handled by the caller).
    public func test(_ date: Date, _ op: FilterOperator) -> Bool {
        switch op {
        case .gte: return date >= lowerBound
        case .gt: return isDateOnly ? date >= upperBound : date > instant
        case .lte: return isDateOnly ? date < upperBound : date <= instant
        case .lt: return date < lowerBound
        case .eq, .in: return isDateOnly ? (date >= lowerBound && date < upperBound) : date == instant
        case .ne: return !test(date, .eq)
        case .contains, .icontains: return false
        }
    }
}

extension MemoryFilter {
    /// A filter on one user.
    public static func userID(_ id: String) -> MemoryFilter {
        .condition(FilterCondition(field: .entity(.user), predicates: [FilterPredicate(.eq, .string(id))]))
    }

    /// Equality on every id a scope sets, ANDed; `nil` for an empty scope.
    public static func scope(_ scope: Scope) -> MemoryFilter? {
        let parts: [MemoryFilter] = EntityType.allCases.compactMap { t in
            scope[t].map {
                .condition(FilterCondition(field: .entity(t), predicates: [FilterPredicate(.eq, .string($0))]))
            }
        }
        switch parts.count {
        case 0: return nil
        case 1: return parts[0]
        default: return .and(parts)
        }
    }

    /// `true` when every memory the filter can match has a positively named entity id
    /// (`eq`, `in` or `"*"` on user, agent, app or run), as v3 requires.
    public var hasPositiveEntityScope: Bool {
        switch self {
        case .and(let xs): return xs.contains { $0.hasPositiveEntityScope }
        case .or(let xs): return !xs.isEmpty && xs.allSatisfy { $0.hasPositiveEntityScope }
        case .not: return false
        case .condition(let c):
            guard case .entity = c.field else { return false }
            return c.predicates.contains { $0.op == .eq || $0.op == .in }
        }
    }
}
