extension JSONNode {
    /// The member `key`, or `nil` when it is absent or `null`.
    func field(_ key: String) -> JSONNode? {
        guard let value = self[key], !value.isNull else { return nil }
        return value
    }

    /// A string member; absent or `null` is `nil`, any other type is a `wrong_type` error at `path`.
    func string(_ key: String, path: @autoclosure () -> String) throws(ReadingError) -> String? {
        guard let value = field(key) else { return nil }
        guard let s = value.string else { throw Self.wrongType(path(), "a string", value) }
        return s
    }

    /// A member already found (absent or `null` is `nil`) as a string; any other type is a
    /// `wrong_type` error at `path`.
    static func string(_ value: JSONNode?, path: @autoclosure () -> String) throws(ReadingError) -> String? {
        guard let value else { return nil }
        guard let s = value.string else { throw wrongType(path(), "a string", value) }
        return s
    }

    /// A member already found (absent or `null` is `nil`) as an id: a string, or a number as text.
    static func id(_ value: JSONNode?, path: @autoclosure () -> String) throws(ReadingError) -> String? {
        guard let value else { return nil }
        if let s = value.string { return s }
        if value.kind == .number, case .int(let i) = value.jsonValue { return String(i) }
        throw wrongType(path(), "a string", value)
    }

    /// A string or number member as text (ids are written both ways).
    func id(_ key: String, path: @autoclosure () -> String) throws(ReadingError) -> String? {
        guard let value = field(key) else { return nil }
        if let s = value.string { return s }
        if value.kind == .number, case .int(let i) = value.jsonValue { return String(i) }
        throw Self.wrongType(path(), "a string", value)
    }

    /// A number member.
    func double(_ key: String, path: @autoclosure () -> String) throws(ReadingError) -> Double? {
        guard let value = field(key) else { return nil }
        guard let d = value.double else { throw Self.wrongType(path(), "a number", value) }
        return d
    }

    /// A member that must be present and of `kind`.
    func required(_ key: String, _ kind: JSONTape.Kind, path: @autoclosure () -> String) throws(ReadingError)
        -> JSONNode
    {
        guard let value = self[key] else {
            throw ReadingError(.wrongType, "the required field '\(key)' is missing", path: path())
        }
        guard value.kind == kind else {
            throw Self.wrongType(path(), kind == .array ? "an array" : kind == .object ? "an object" : "\(kind)", value)
        }
        return value
    }

    static func wrongType(_ path: String, _ expected: String, _ value: JSONNode) -> ReadingError {
        ReadingError(.wrongType, "expected \(expected), got \(value.typeDescription)", path: path)
    }
}
