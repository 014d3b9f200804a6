import Foundation
import Hummingbird
import MemoryAPI
import MemoryStore

extension MemoryRoutes {
    /// `GET /v1/memories/?user_id=...`: entity ids, `metadata` (JSON or Python dict),
    /// `categories` (repeated or comma-separated), `keywords`, `start_date`, `end_date`,
    /// `page`/`page_size` (the envelope) or `limit`, `output_format`.
    func getAllV1(_ request: Request, _ context: MemoryRequestContext) async throws -> Response {
        let query = QueryItems(request.uri.query ?? "")
        var parts: [JSONValue] = []
        for t in EntityType.allCases {
            if let v = query[t.idField] ?? (t == .run ? query["session_id"] : nil) {
                parts.append(.object([t.idField: .string(v)]))
            }
        }
        if parts.isEmpty {
            throw ServerError.badRequest("One of the filters: app_id, user_id, agent_id, run_id is required!")
        }
        if let meta = query["metadata"] {
            parts.append(.object(["metadata": try Self.literal(meta, name: "metadata")]))
        }
        parts += try Self.extraConditions(
            categories: query.all("categories"), keywords: query["keywords"], startDate: query["start_date"],
            endDate: query["end_date"])
        let filter = try Self.filter(.object(["AND": .array(parts)]), path: "query")
        let lifecycle = try Self.lifecycle([:], query)
        let page = try Self.integer(query["page"].map(JSONValue.string), "page")
        let pageSize = try Self.integer(query["page_size"].map(JSONValue.string), "page_size")
        if page != nil || pageSize != nil {
            return try await envelope(
                filter: filter, showExpired: false, lifecycle: lifecycle, page: page ?? 1,
                pageSize: pageSize ?? MemoryStore.defaultPageSize, request: request, query: query, context: context)
        }
        let limit = try Self.integer(query["limit"].map(JSONValue.string), "limit") ?? MemoryStore.defaultPageSize
        let found = try await store.getAll(
            filter: filter, lifecycle: lifecycle, page: 1, pageSize: max(1, limit), in: context.project)
        let shape: Page<Memory>.Shape = query["output_format"] == "v1.1" ? .results : .list
        return JSONResponse.make(Page(count: found.count, results: found.results, shape: shape))
    }

    /// `POST /v2/memories/` and `POST /v3/memories/`: `filters` in the body (v2 also takes
    /// top-level ids, as SDK 1.x sends them), page and page_size in the query or the body.
    /// v3 always answers the envelope; v2 only when paged.
    func getAllBody(_ request: Request, _ context: MemoryRequestContext, version: Int) async throws -> Response {
        let object = try await body(request, context)
        let query = QueryItems(request.uri.query ?? "")
        let filter = try Self.bodyFilter(object, version: version)
        let showExpired = try Self.boolean(object["show_expired"], "show_expired") ?? false
        let lifecycle = try Self.lifecycle(object, query)
        let page =
            try Self.integer(query["page"].map(JSONValue.string), "page") ?? Self.integer(object["page"], "page")
        let pageSize =
            try Self.integer(query["page_size"].map(JSONValue.string), "page_size")
            ?? Self.integer(object["page_size"], "page_size")
        if version == 3 || page != nil || pageSize != nil {
            return try await envelope(
                filter: filter, showExpired: showExpired, lifecycle: lifecycle, page: page ?? 1,
                pageSize: pageSize ?? MemoryStore.defaultPageSize, request: request, query: query, context: context)
        }
        let found = try await store.getAll(
            filter: filter, showExpired: showExpired, lifecycle: lifecycle, page: 1, in: context.project)
        let shape: Page<Memory>.Shape = object["output_format"]?.stringValue == "v1.1" ? .results : .list
        return JSONResponse.make(Page(count: found.count, results: found.results, shape: shape))
    }

    /// One page in the envelope of contract §7, with absolute `next`/`previous` URLs whose
    /// query repeats the request's and carries the page numbers.
    func envelope(
        filter: MemoryFilter?, showExpired: Bool, lifecycle: LifecycleView = .standard, page: Int, pageSize: Int,
        request: Request, query: QueryItems, context: MemoryRequestContext
    ) async throws -> Response {
        guard pageSize >= 1 else { throw ServerError.badRequest("page_size must be at least 1", path: "page_size") }
        guard page >= 1 else { throw ServerError.badRequest("page must be at least 1", path: "page") }
        let size = min(pageSize, MemoryStore.maxPageSize)
        var found = try await store.getAll(
            filter: filter, showExpired: showExpired, lifecycle: lifecycle, page: page, pageSize: size,
            in: context.project)
        let authority = request.head.authority ?? "127.0.0.1"
        let base = "http://\(authority)\(request.uri.path)?"
        if page * size < found.count { found.next = base + query.with(page: page + 1, pageSize: size) }
        if page > 1 { found.previous = base + query.with(page: page - 1, pageSize: size) }
        found.shape = .paginated
        return JSONResponse.make(found)
    }

    /// The filter of a v2/v3 listing or search body: `filters`, plus (v1, v2) top-level ids,
    /// plus `metadata` (exact match), `categories`, `keywords`, `start_date`, `end_date`.
    /// v3 refuses top-level ids and needs a positively scoped entity in `filters`.
    static func bodyFilter(_ object: [String: JSONValue], version: Int) throws -> MemoryFilter {
        var parts: [JSONValue] = []
        if let f = object["filters"], !f.isNull {
            guard case .object(let o) = f else {
                throw ServerError.badRequest("filters must be an object, got \(f.typeDescription)", path: "filters")
            }
            if !o.isEmpty { parts.append(f) }
        }
        let topLevel = EntityType.allCases.map(\.idField) + ["session_id"]
        for key in topLevel {
            guard let v = object[key], !v.isNull else { continue }
            if version >= 3 {
                throw ServerError.badRequest(
                    "\(key) is not accepted at the top level on v3; put it inside filters, e.g. "
                        + "{\"filters\": {\"\(key)\": ...}}", path: key)
            }
            parts.append(.object([key == "session_id" ? "run_id" : key: v]))
        }
        if let meta = object["metadata"], !meta.isNull {
            parts.append(.object(["metadata": meta]))
        }
        parts += try extraConditions(
            categories: try stringList(object["categories"], "categories"),
            keywords: object["keywords"]?.stringValue, startDate: object["start_date"]?.stringValue,
            endDate: object["end_date"]?.stringValue)
        if parts.isEmpty {
            throw ServerError.badRequest(
                "filters are required: name at least one of user_id, agent_id, app_id, run_id", path: "filters")
        }
        let filter = try Self.filter(parts.count == 1 ? parts[0] : .object(["AND": .array(parts)]))
        // v3 (like the platform) needs a positively scoped entity; v1 and v2 also take a filter
        // without one, such as the importer's lookup by `metadata.memport_import_key`.
        if version >= 3 && !filter.hasPositiveEntityScope {
            throw ServerError.badRequest(
                "filters must name at least one of user_id, agent_id, app_id, run_id (a value, a list or \"*\")",
                path: "filters")
        }
        return filter
    }

    /// The optional listing conditions as filter JSON.
    static func extraConditions(categories: [String], keywords: String?, startDate: String?, endDate: String?)
        throws -> [JSONValue]
    {
        var parts: [JSONValue] = []
        if !categories.isEmpty { parts.append(["categories": ["in": .array(categories.map(JSONValue.string))]]) }
        if let keywords, !keywords.isEmpty { parts.append(["keywords": ["icontains": .string(keywords)]]) }
        var range: [String: JSONValue] = [:]
        for (name, op, value) in [("start_date", "gte", startDate), ("end_date", "lte", endDate)] {
            guard let value else { continue }
            guard FilterDate(value) != nil else {
                throw ServerError.badRequest("\(name) must be a date YYYY-MM-DD, got \(value)", path: name)
            }
            range[op] = .string(value)
        }
        if !range.isEmpty { parts.append(["created_at": .object(range)]) }
        return parts
    }

    /// A list of strings from a body field (a single string reads as one item).
    static func stringList(_ value: JSONValue?, _ name: String) throws -> [String] {
        guard let value, !value.isNull else { return [] }
        if let s = value.stringValue { return [s] }
        guard let a = value.arrayValue else {
            throw ServerError.badRequest("\(name) must be a list of strings, got \(value.typeDescription)", path: name)
        }
        return try a.enumerated().map { i, v in
            guard let s = v.stringValue else {
                throw ServerError.badRequest(
                    "\(name)[\(i)] must be a string, got \(v.typeDescription)", path: "\(name)[\(i)]")
            }
            return s
        }
    }
}
