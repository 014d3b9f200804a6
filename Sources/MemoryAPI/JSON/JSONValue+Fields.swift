extension JSONValue {
    /// An optional field as `decodeIfPresent` reads it: `.some(nil)` when absent or null,
    /// `.some(value)` when `read` takes it, and nil for a type `read` refuses (which
    /// `decodeIfPresent` would throw for).
    static func optional<T>(_ value: JSONValue?, _ read: (JSONValue) -> T?) -> T?? {
        switch value {
        case .none, .some(.null): return .some(nil)
        case .some(let present):
            guard let taken = read(present) else { return nil }
            return .some(taken)
        }
    }

    /// An optional string field (see ``optional(_:_:)``).
    static func optionalString(_ value: JSONValue?) -> String?? {
        optional(value) { if case .string(let s) = $0 { s } else { nil } }
    }

    /// An optional flag (see ``optional(_:_:)``).
    static func optionalBool(_ value: JSONValue?) -> Bool?? {
        optional(value) { if case .bool(let b) = $0 { b } else { nil } }
    }

    /// The value, or nil for null (as `decodeIfPresent(JSONValue.self, …)` reads it).
    static func present(_ value: JSONValue) -> JSONValue? {
        if case .null = value { return nil }
        return value
    }
}
