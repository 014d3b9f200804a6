import Foundation
import MemoryAPI
import MemoryStore
import Reading
import Synchronization

/// The embedded target: a `MemoryStore` SQLite file opened in-process, with no HTTP.
///
/// Store errors come back as `MemoryAPIError`s with the status the server would send, so the
/// engine classifies both targets alike.
public final class EmbeddedTarget: MemoryTarget {
    /// The store.
    public let store: MemoryStore
    /// The project every call acts in.
    public let project: ProjectContext
    /// `embedded:/absolute/path.db` (and `#org/project` when not the default project).
    public let description: String
    /// Chunks prepared ahead of their apply (at most two).
    let preparedChunks = Mutex<[PreparedChunk]>([])

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
        let filter = MemoryFilter.importKey(importKey, scope: scope)
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

extension EmbeddedTarget {
    /// Chunks go to the store whole, each in one transaction.
    public var appliesChunks: Bool { true }

    /// Validates the coming adds and makes their rows' values now, outside any transaction,
    /// while the store may be writing the chunk before; `addMany` then uses them.
    public func prepare(_ requests: [AddRequest]) async {
        // Only adds with import keys can be found again by `addMany`; others are prepared there.
        let keys = requests.map(Self.importKey)
        guard !keys.isEmpty, !keys.contains(nil) else { return }
        let prepared = store.prepareAdds(requests)
        preparedChunks.withLock { chunks in
            chunks.append(PreparedChunk(keys: keys, prepared: prepared))
            if chunks.count > 2 { chunks.removeFirst() }
        }
    }

    /// Applies a chunk of adds in one store transaction, with what `prepare` made for them
    /// when it was told of them first.
    public func addMany(_ requests: [AddRequest]) async -> [Result<AddOutcome, any Error>] {
        await addMany(takePrepared(requests) ?? store.prepareAdds(requests))
    }

    /// The prepared rows of exactly these requests, taken out of the cache; nil when any of
    /// them was not prepared.
    func takePrepared(_ requests: [AddRequest]) -> PreparedAdds? {
        let keys = requests.map(Self.importKey)
        guard !keys.isEmpty, !keys.contains(nil) else { return nil }
        return preparedChunks.withLock { chunks -> PreparedAdds? in
            guard let at = chunks.firstIndex(where: { $0.position[keys[0]!] != nil }) else { return nil }
            let chunk = chunks[at]
            var positions: [Int] = []
            positions.reserveCapacity(keys.count)
            for key in keys {
                guard let key, let p = chunk.position[key] else { return nil }
                positions.append(p)
            }
            chunks.remove(at: at)
            return positions == Array(0..<chunk.prepared.count) ? chunk.prepared : chunk.prepared.selecting(positions)
        }
    }

    static func importKey(_ request: AddRequest) -> String? {
        if case .string(let key) = request.metadata?[MemoryFilter.importKeyField] { return key }
        return nil
    }

    /// Applies prepared add calls in one store transaction.
    func addMany(_ prepared: PreparedAdds) async -> [Result<AddOutcome, any Error>] {
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

/// The rows of one chunk's adds, prepared ahead, by import key.
struct PreparedChunk: Sendable {
    var position: [String: Int]
    var prepared: PreparedAdds

    init(keys: [String?], prepared: PreparedAdds) {
        var position: [String: Int] = [:]
        for (i, key) in keys.enumerated() {
            if let key { position[key] = i }
        }
        self.position = position
        self.prepared = prepared
    }
}
