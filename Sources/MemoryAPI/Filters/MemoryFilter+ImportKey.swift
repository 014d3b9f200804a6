extension MemoryFilter {
    /// The metadata key under which memport writes every memory's import key (DESIGN
    /// invariant 2). The store indexes it (`memories_import_key`), the client and the targets
    /// look memories up by it: this is its one definition.
    public static let importKeyField = "memport_import_key"

    /// The filter that finds the memories written for one import key:
    /// `{"AND": [<scope ids>, {"metadata": {"memport_import_key": key}}]}`, or the key alone
    /// when no scope is given.
    ///
    /// ```swift
    /// let filter = MemoryFilter.importKey("9f2c…", scope: Scope(userID: "alice"))
    /// ```
    public static func importKey(_ key: String, scope: Scope?) -> MemoryFilter {
        let keyCondition = MemoryFilter.condition(
            FilterCondition(field: .metadata(importKeyField), predicates: [FilterPredicate(.eq, .scalar(.string(key)))])
        )
        guard let scope, let scoped = MemoryFilter.scope(scope) else { return keyCondition }
        if case .and(let parts) = scoped { return .and(parts + [keyCondition]) }
        return .and([scoped, keyCondition])
    }
}
