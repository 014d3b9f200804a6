extension MemoryFilter {
    /// The filter as JSON, in canonical form: explicit `AND`/`OR` lists, `NOT` as an object,
    /// bare values for equality. Parsing it again gives the same tree.
    public var json: JSONValue {
        switch self {
        case .and(let xs): return ["AND": .array(xs.map(\.json))]
        case .or(let xs): return ["OR": .array(xs.map(\.json))]
        case .not(let x): return ["NOT": x.json]
        case .condition(let c): return c.json
        }
    }
}

extension FilterCondition {
    /// The condition as a one-key JSON object.
    public var json: JSONValue {
        var body: JSONValue
        if predicates.count == 1, let only = predicates.first, only.op == .eq || isBareList(only) {
            body = only.value.json
        } else {
            var ops: [String: JSONValue] = [:]
            for p in predicates { ops[p.op.rawValue] = p.value.json }
            body = .object(ops)
        }
        if case .metadata(let key) = field { body = .object([key: body]) }
        return .object([field.name: body])
    }

    private func isBareList(_ p: FilterPredicate) -> Bool {
        field == .memoryIDs && p.op == .in
    }
}

extension FilterValue {
    /// The operand as JSON.
    public var json: JSONValue {
        switch self {
        case .wildcard: return "*"
        case .string(let s): return .string(s)
        case .strings(let xs): return .array(xs.map { .string($0) })
        case .date(let d): return d.source
        case .dates(let ds): return .array(ds.map(\.source))
        case .scalar(let v): return v
        }
    }
}

extension MemoryFilter: Codable {
    /// Decodes and validates a filter; errors name the JSON path from the decoder's position.
    public init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        let root = MemoryAPIError.codingPathString(decoder.codingPath, root: "")
        self = try MemoryFilter.parse(value, path: root.isEmpty ? "filters" : root)
    }

    /// Encodes the canonical JSON.
    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }
}
