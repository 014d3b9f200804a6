import MemoryAPI
import Reading

/// Learns which import keys a target already holds before units are sent, so a re-run from
/// another machine or a fresh state directory sends nothing twice, and memport and Mem0's official
/// migration script each skip what the other imported.
///
/// It covers units that carry the official script's key (`metadata.mem0_migration_import_key`,
/// written by the `mem0-migration` preset): the first time such a unit's scope is seen, the
/// target's memories in that scope are listed once (by the first of user, agent, run and app id,
/// as the script's own pre-scan does: one listing per scope costs far fewer calls than a keyed
/// lookup per record), and every `mem0_migration_import_key` and `memport_import_key` found is
/// remembered. A unit whose either key is among them is already delivered. Only keys found in
/// the target are held, so memory grows with what the target had, not with the input.
public actor ExistingKeyIndex {
    /// The target listed.
    public let target: any MemoryTarget
    /// Memories per listing page (the v3 maximum, 200, by default).
    public let pageSize: Int
    /// Listing calls made so far.
    public private(set) var listingCalls = 0
    /// Scans started, by scope label; a second chunk of the same scope waits for the first scan.
    private var scans: [String: Task<Void, any Error>] = [:]
    private var present: Set<String> = []

    /// Creates an index over a target.
    public init(target: any MemoryTarget, pageSize: Int = 200) {
        self.target = target
        self.pageSize = max(pageSize, 1)
    }

    /// The import keys of the units the target already holds, by memport's key or the script's.
    ///
    /// - Throws: what the target's listing throws (after its own retries).
    public func alreadyThere(_ units: [ImportUnit]) async throws -> Set<String> {
        var found: Set<String> = []
        for unit in units {
            guard case .add(let request) = unit.payload,
                let scriptKey = request.metadata?[MigrationImportKey.field]?.stringValue,
                let listing = Self.listingScope(request)
            else { continue }
            let (type, id) = listing
            let label = type.idField + "\u{1F}" + id
            let scan = scans[label] ?? Task { try await self.scan(type, id) }
            scans[label] = scan
            do {
                try await scan.value
            } catch {
                scans[label] = nil
                throw error
            }
            if present.contains(scriptKey) || present.contains(unit.importKey) { found.insert(unit.importKey) }
        }
        return found
    }

    /// The entity an add's memory is listed by: the first of user, agent, run and app id; but
    /// the agent when every message is the assistant's and the add names an agent, since Mem0
    /// (and `memport serve`) files such a memory under the agent alone.
    static func listingScope(_ request: AddRequest) -> (EntityType, String)? {
        let scope = request.scope
        if let agent = scope.agentID, !agent.isEmpty, !request.messages.isEmpty,
            request.messages.allSatisfy({ $0.role == .assistant })
        {
            return (.agent, agent)
        }
        for type in [EntityType.user, .agent, .run, .app] {
            if let id = scope[type], !id.isEmpty { return (type, id) }
        }
        return nil
    }

    private func scan(_ type: EntityType, _ id: String) async throws {
        let filter = MemoryFilter.condition(
            FilterCondition(field: .entity(type), predicates: [FilterPredicate(.eq, .string(id))]))
        var page = 1
        while true {
            let result = try await target.memories(filter: filter, page: page, pageSize: pageSize)
            listingCalls += 1
            for memory in result.results {
                if let key = memory.metadata?[MigrationImportKey.field]?.stringValue { present.insert(key) }
                if let key = memory.metadata?[MemoryFilter.importKeyField]?.stringValue { present.insert(key) }
            }
            if result.results.count < pageSize || page * pageSize >= result.count { return }
            page += 1
        }
    }
}
