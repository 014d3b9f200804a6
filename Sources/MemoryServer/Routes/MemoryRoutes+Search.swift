import Foundation
import Hummingbird
import MemoryAPI
import MemoryStore

extension MemoryRoutes {
    /// `POST /v{1,2,3}/memories/search/`: keyword relevance under the filter, best first.
    ///
    /// v1 takes top-level ids and answers a bare list (v1.1: `{"results"}`); v2 takes `filters`
    /// (and top-level ids), `threshold` default 0.3, and answers a bare list; v3 needs the ids
    /// inside `filters`, `threshold` default 0.1, and answers `{"results"}`.
    func search(_ request: Request, _ context: MemoryRequestContext, version: Int) async throws -> Response {
        let object = try await body(request, context)
        guard let queryValue = object["query"], !queryValue.isNull else {
            throw ServerError.badRequest("query is required", path: "query")
        }
        guard let query = queryValue.stringValue else {
            throw ServerError.badRequest("query must be a string, got \(queryValue.typeDescription)", path: "query")
        }
        let filter = try Self.bodyFilter(object, version: version)
        let topK = try Self.integer(object["top_k"], "top_k") ?? Self.integer(object["limit"], "limit") ?? 10
        let defaultThreshold = version == 3 ? 0.1 : (version == 2 ? 0.3 : 0)
        var threshold = defaultThreshold
        if let t = object["threshold"], !t.isNull {
            guard let d = t.doubleValue else {
                throw ServerError.badRequest("threshold must be a number, got \(t.typeDescription)", path: "threshold")
            }
            threshold = d
        }
        let showExpired = try Self.boolean(object["show_expired"], "show_expired") ?? false
        let lifecycle = try Self.lifecycle(object, QueryItems(request.uri.query ?? ""))
        let found = try await store.search(
            MemorySearch(
                query: query, filter: filter, topK: topK, threshold: threshold, showExpired: showExpired,
                lifecycle: lifecycle),
            in: context.project)
        let wrapped = version == 3 || object["output_format"]?.stringValue == "v1.1"
        return JSONResponse.make(Page(count: found.count, results: found, shape: wrapped ? .results : .list))
    }
}
