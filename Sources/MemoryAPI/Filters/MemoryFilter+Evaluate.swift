import Foundation

extension MemoryFilter {
    /// Evaluates the filter against one memory, with the semantics documented on the type.
    ///
    /// The store compiles the same semantics to SQL; this is the reference its tests compare against.
    public func matches(_ memory: Memory) -> Bool {
        switch self {
        case .and(let xs): return xs.allSatisfy { $0.matches(memory) }
        case .or(let xs): return xs.contains { $0.matches(memory) }
        case .not(let x): return !x.matches(memory)
        case .condition(let c): return c.predicates.allSatisfy { c.test($0, memory) }
        }
    }
}

extension FilterCondition {
    func test(_ p: FilterPredicate, _ m: Memory) -> Bool {
        switch field {
        case .entity(let t): return Self.testString(m.scope[t], p)
        case .createdAt, .timestamp: return Self.testDate(m.createdAt, p)
        case .updatedAt: return Self.testDate(m.updatedAt, p)
        case .expirationDate: return Self.testDate(m.expirationDate.flatMap(MemoryTimestamp.parse), p)
        case .memoryIDs: return Self.testString(m.id, p)
        case .keywords:
            guard case .string(let needle) = p.value else { return false }
            return p.op == .icontains
                ? m.memory.lowercased().contains(needle.lowercased()) : m.memory.contains(needle)
        case .categories:
            let cats = m.categories ?? []
            switch p.value {
            case .strings(let names): return cats.contains { names.contains($0) }
            case .string(let needle): return cats.contains { $0.lowercased().contains(needle.lowercased()) }
            default: return false
            }
        case .metadata(let key):
            let actual = m.metadata?[key]
            switch (p.op, p.value) {
            case (.eq, .scalar(let v)): return actual.map { Self.scalarEqual($0, v) } ?? false
            case (.ne, .scalar(let v)): return !(actual.map { Self.scalarEqual($0, v) } ?? false)
            case (.contains, .string(let needle)): return actual?.stringValue?.contains(needle) ?? false
            default: return false
            }
        }
    }

    static func testString(_ actual: String?, _ p: FilterPredicate) -> Bool {
        switch (p.op, p.value) {
        case (_, .wildcard): return actual != nil
        // By bytes, as the store compares: `café` and `cafe\u{301}` are two ids.
        case (.eq, .string(let s)): return actual.isExactly(s)
        case (.ne, .string(let s)): return !actual.isExactly(s)
        case (.in, .strings(let xs)): return actual.map { a in xs.contains { a.isExactly($0) } } ?? false
        default: return false
        }
    }

    static func testDate(_ actual: Date?, _ p: FilterPredicate) -> Bool {
        guard let actual else { return p.op == .ne }
        switch p.value {
        case .date(let d): return d.test(actual, p.op)
        case .dates(let ds): return ds.contains { $0.test(actual, .eq) }
        default: return false
        }
    }

    /// JSON scalar equality with 3 == 3.0.
    static func scalarEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let x = a.doubleValue, let y = b.doubleValue { return x == y }
        return a == b
    }
}
