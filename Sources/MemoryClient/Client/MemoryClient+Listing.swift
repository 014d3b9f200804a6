import Foundation
import MemoryAPI

extension MemoryClient {
    /// Lists memories: `GET /v1/memories/?…` (v1, entity ids in the query), `POST /v2/memories/`
    /// (v2, a filter) or `POST /v3/memories/` (v3, a filter with a positive entity id).
    ///
    /// Without `version` the client's family decides; with ``APIVersion/v1`` configured, a
    /// request with a filter goes to v2. Page numbers follow each SDK: all in the query on v1;
    /// on v2 in the query only when both are given, else in the body; on v3 each in the query.
    /// The answer may be a bare list, `{"results"}` or the paginated envelope; all read as a page.
    public func getAll(_ request: GetAllRequest, version: APIVersion? = nil) async throws -> Page<Memory> {
        try await perform(getAllEndpoint(request, version: version), as: Page<Memory>.self).value
    }

    /// A listing whose body the caller decodes, e.g. with a faster reader than `JSONDecoder`.
    /// Retries, pacing and errors are as ``getAll(_:version:)``; an error `decode` throws
    /// becomes a `.decoding` error quoting the body.
    public func getAll<T: Sendable>(
        _ request: GetAllRequest, version: APIVersion? = nil, decode: @Sendable @escaping (Data) throws -> T
    ) async throws -> T {
        try await perform(getAllEndpoint(request, version: version), decode: decode).value
    }

    /// Every page of a listing, `pageSize` items at a time, until a page says it is the last
    /// (no `next`, or fewer items than asked) or the server answers 404 past the end.
    public func getAllPages(
        _ request: GetAllRequest, pageSize: Int = 100, version: APIVersion? = nil
    ) -> AsyncThrowingStream<Page<Memory>, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var page = request.page ?? 1
                    while true {
                        var r = request
                        r.page = page
                        r.pageSize = pageSize
                        let result: Page<Memory>
                        do {
                            result = try await getAll(r, version: version)
                        } catch let e as MemoryAPIError where e.code == .notFound && page > 1 {
                            break
                        }
                        continuation.yield(result)
                        let last =
                            result.shape == .paginated ? result.next == nil : result.results.count < pageSize
                        if last || result.results.isEmpty { break }
                        page += 1
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Searches: `POST /v1/memories/search/` (v1, entity ids at the top), `/v2/memories/search/`
    /// or `/v3/memories/search/` (a filter). The answer may be a list or `{"results"}`.
    public func search(_ request: SearchRequest, version: APIVersion? = nil) async throws -> [Memory] {
        try await perform(searchEndpoint(request, version: version), as: Page<Memory>.self).value.results
    }

    /// The memories an import wrote for one import key in one scope: a listing filtered by
    /// `{"AND": [<scope ids>, {"metadata": {"memport_import_key": key}}]}`, every page read.
    ///
    /// This is how a caller settles an add that may have been applied: found means applied.
    public func findByImportKey(_ key: String, scope: Scope, version: APIVersion? = nil) async throws -> [Memory] {
        guard MemoryFilter.scope(scope) != nil else {
            throw MemoryAPIError.invalid(at: "scope", "a lookup by import key needs an entity id")
        }
        let filter = MemoryFilter.importKey(key, scope: scope)
        let listing = version ?? (configuration.apiVersion == .v3 ? .v3 : .v2)
        var found: [Memory] = []
        for try await page in getAllPages(GetAllRequest(filters: filter), pageSize: 100, version: listing) {
            found += page.results
        }
        return found
    }

    // MARK: - Building

    func getAllEndpoint(_ request: GetAllRequest, version: APIVersion?) throws -> Endpoint {
        let version =
            version ?? (configuration.apiVersion == .v1 && request.filters != nil ? .v2 : configuration.apiVersion)
        switch version {
        case .v1:
            guard request.filters == nil else {
                throw MemoryAPIError.invalid(at: "filters", "v1 get_all takes entity ids, not a filter; use v2 or v3")
            }
            guard !request.scope.isEmpty else {
                throw MemoryAPIError.invalid(at: "user_id", "v1 get_all needs one of user_id, agent_id, app_id, run_id")
            }
            var query = Self.scopeQuery(request.scope)
            if let p = request.page { query.append(("page", String(p))) }
            if let p = request.pageSize { query.append(("page_size", String(p))) }
            for f in request.fields ?? [] { query.append(("fields", f)) }
            for c in request.categories ?? [] { query.append(("categories", c)) }
            if let k = request.keywords { query.append(("keywords", k)) }
            if let d = request.startDate { query.append(("start_date", d)) }
            if let d = request.endDate { query.append(("end_date", d)) }
            if let o = request.outputFormat { query.append(("output_format", o)) }
            query += orgQuery(.v1)
            return Endpoint("get_all", .GET, path: Endpoint.path("v1", "memories"), query: query, effect: .read)
        case .v2:
            var body = request
            body.filters = try Self.foldScope(into: request.filters, scope: request.scope, version: .v2)
            body.scope = Scope()
            var query: [(name: String, value: String)] = []
            if let page = request.page, let size = request.pageSize {
                query = [("page", String(page)), ("page_size", String(size))]
                body.page = nil
                body.pageSize = nil
            }
            body.orgID = body.orgID ?? (orgQuery(.v2).isEmpty ? nil : configuration.orgID)
            body.projectID = body.projectID ?? (orgQuery(.v2).isEmpty ? nil : configuration.projectID)
            return Endpoint(
                "get_all", .POST, path: Endpoint.path("v2", "memories"), query: query, body: try Self.json(body),
                effect: .read)
        case .v3:
            var body = request
            body.filters = try Self.foldScope(into: request.filters, scope: request.scope, version: .v3)
            body.scope = Scope()
            var query: [(name: String, value: String)] = []
            if let page = request.page { query.append(("page", String(page))) }
            if let size = request.pageSize { query.append(("page_size", String(size))) }
            body.page = nil
            body.pageSize = nil
            body.orgID = nil
            body.projectID = nil
            return Endpoint(
                "get_all", .POST, path: Endpoint.path("v3", "memories"), query: query, body: try Self.json(body),
                effect: .read)
        }
    }

    func searchEndpoint(_ request: SearchRequest, version: APIVersion?) throws -> Endpoint {
        let version =
            version ?? (configuration.apiVersion == .v1 && request.filters != nil ? .v2 : configuration.apiVersion)
        var body = request
        let path: String
        switch version {
        case .v1:
            guard request.filters == nil else {
                throw MemoryAPIError.invalid(at: "filters", "v1 search takes entity ids, not a filter; use v2 or v3")
            }
            guard !request.scope.isEmpty else {
                throw MemoryAPIError.invalid(at: "user_id", "v1 search needs one of user_id, agent_id, app_id, run_id")
            }
            path = Endpoint.path("v1", "memories", "search")
        case .v2, .v3:
            body.filters = try Self.foldScope(into: request.filters, scope: request.scope, version: version)
            body.scope = Scope()
            path = Endpoint.path(version.rawValue, "memories", "search")
        }
        if version == .v3 {
            body.query = request.query.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !body.query.isEmpty else { throw MemoryAPIError.invalid(at: "query", "the search query is empty") }
            body.orgID = nil
            body.projectID = nil
        } else if !orgQuery(version).isEmpty {
            body.orgID = body.orgID ?? configuration.orgID
            body.projectID = body.projectID ?? configuration.projectID
        }
        return Endpoint("search", .POST, path: path, body: try Self.json(body), effect: .read)
    }

    /// The filter a v2/v3 call sends: the given one, or the scope's ids when there is none.
    /// Both at once is refused on v3 (the SDK refuses top-level ids there); v3 also needs a
    /// positively named entity id somewhere in the filter.
    static func foldScope(into filters: MemoryFilter?, scope: Scope, version: APIVersion) throws -> MemoryFilter {
        var filter = filters
        if filter == nil {
            filter = MemoryFilter.scope(scope)
        } else if !scope.isEmpty {
            if version == .v3 {
                throw MemoryAPIError.invalid(at: "user_id", "v3 takes entity ids inside filters only")
            }
            if let s = MemoryFilter.scope(scope), let f = filter { filter = .and([s, f]) }
        }
        guard let filter else {
            throw MemoryAPIError.invalid(at: "filters", "a \(version.rawValue) listing or search needs a filter")
        }
        if version == .v3 && !filter.hasPositiveEntityScope {
            throw MemoryAPIError.invalid(
                at: "filters", "v3 needs a filter that names a user_id, agent_id, app_id or run_id")
        }
        return filter
    }
}
