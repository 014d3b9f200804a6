import Foundation
import MemoryAPI
import MemoryStore

/// The embedded target: a `MemoryStore` SQLite file opened in-process, with no HTTP.
///
/// Store errors come back as `MemoryAPIError`s with the status the server would send, so the
/// engine classifies both targets alike.
public final class EmbeddedTarget: ChunkApplyingTarget {
    /// The store.
    public let store: MemoryStore
    /// The project every call acts in.
    public let project: ProjectContext
    /// `embedded:/absolute/path.db` (and `#org/project` when not the default project).
    public let description: String

    /// Opens (creating when needed) the store at `path`.
    ///
    /// - Throws: `PipelineError` `.target` naming the path.
    public init(path: String, project: ProjectContext = .default) throws {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        do {
            store = try MemoryStore(path: absolute)
        } catch {
            throw PipelineError(.target, "cannot open the embedded store \(absolute): \(error)")
        }
        self.project = project
        description = "embedded:\(absolute)" + (project == .default ? "" : "#\(project.label)")
    }

    /// Adds through the store.
    public func add(_ request: AddRequest) async throws -> AddOutcome {
        try await Self.api { Self.outcome(of: try await store.add(request, in: project)) }
    }

    /// The status of an add the store recorded.
    public func job(_ eventID: String) async throws -> MemoryJob {
        try await Self.api { try await store.event(id: eventID, in: project) }
    }

    /// Memories with this import key in this scope.
    public func memories(importKey: String, scope: Scope?) async throws -> [Memory] {
        let filter = Self.importKeyFilter(importKey, scope: scope)
        return try await Self.api { try await store.all(filter: filter, showExpired: true, in: project) }
    }

    /// A batch update in one transaction.
    public func batchUpdate(_ items: [BatchUpdateItem]) async throws {
        _ = try await Self.api { try await store.batchUpdate(items, in: project) }
    }

    /// A batch delete in one transaction.
    public func batchDelete(_ items: [BatchDeleteItem]) async throws {
        _ = try await Self.api { try await store.batchDelete(items.map(\.memoryID), in: project) }
    }

    /// The project's entities.
    public func entities() async throws -> [Entity] {
        try await Self.api { try await store.entities(in: project).entities }
    }

    /// One page of a filtered listing, in insertion order.
    public func memories(filter: MemoryFilter, page: Int, pageSize: Int) async throws -> Page<Memory> {
        try await Self.api {
            try await store.getAll(filter: filter, showExpired: true, page: page, pageSize: pageSize, in: project)
        }
    }

    /// One page of a filtered listing in a lifecycle view.
    public func memories(filter: MemoryFilter, page: Int, pageSize: Int, lifecycle: LifecycleView) async throws
        -> Page<Memory>
    {
        try await Self.api {
            try await store.getAll(
                filter: filter, showExpired: true, lifecycle: lifecycle, page: page, pageSize: pageSize, in: project)
        }
    }

    /// The store never retries.
    public func retryCount() async -> Int { 0 }

    /// Nothing to release: the store closes with the process.
    public func close() async {}

    static func api<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as MemoryStoreError {
            throw error.apiError
        }
    }
}

extension MemoryTarget {
    /// `{"AND": [<scope ids>, {"metadata": {"memport_import_key": key}}]}`, or the key alone.
    public static func importKeyFilter(_ key: String, scope: Scope?) -> MemoryFilter {
        let keyCondition = MemoryFilter.condition(
            FilterCondition(
                field: .metadata(ImportUnit.importKeyField), predicates: [FilterPredicate(.eq, .scalar(.string(key)))]))
        guard let scope, let scoped = MemoryFilter.scope(scope) else { return keyCondition }
        if case .and(let parts) = scoped { return .and(parts + [keyCondition]) }
        return .and([scoped, keyCondition])
    }
}

extension EmbeddedTarget {
    /// Applies a chunk of adds in one store transaction.
    public func addMany(_ requests: [AddRequest]) async -> [Result<AddOutcome, any Error>] {
        await addMany(prepareAdds(requests))
    }

    /// Validates the add calls and makes their rows' values, outside any transaction.
    public func prepareAdds(_ requests: [AddRequest]) -> PreparedAdds {
        store.prepareAdds(requests)
    }

    /// Applies prepared add calls in one store transaction.
    public func addMany(_ prepared: PreparedAdds) async -> [Result<AddOutcome, any Error>] {
        do {
            return try await store.addMany(prepared, in: project).map { result in
                switch result {
                case .success(let response): return .success(Self.outcome(of: response))
                case .failure(let error): return .failure(error.apiError)
                }
            }
        } catch let error as MemoryStoreError {
            return (0..<prepared.count).map { _ in .failure(error.apiError) }
        } catch {
            return (0..<prepared.count).map { _ in .failure(error) }
        }
    }
}
