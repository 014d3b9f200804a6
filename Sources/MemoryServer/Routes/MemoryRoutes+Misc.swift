import Foundation
import Hummingbird
import MemoryAPI
import MemoryStore

extension MemoryRoutes {
    /// `GET /v1/ping/`: the key's organisation and project.
    func ping(_ request: Request, _ context: MemoryRequestContext) -> Response {
        JSONResponse.make(
            Ping(
                status: "ok", orgID: context.project.orgID, projectID: context.project.projectID,
                userEmail: "memport@localhost"))
    }

    /// `GET /v1/event/{id}/`: the status and results of an add.
    func event(_ request: Request, _ context: MemoryRequestContext) async throws -> Response {
        JSONResponse.make(try await store.event(id: try parameter("event_id", context), in: context.project))
    }

    /// `GET /v1/events/?page=&page_size=`: the project's events, newest first, in the paginated
    /// envelope `{count, next, previous, results: [event]}` (what `mem0 event list` reads).
    func events(_ request: Request, _ context: MemoryRequestContext) async throws -> Response {
        let query = QueryItems(request.uri.query ?? "")
        let page = try Self.integer(query["page"].map(JSONValue.string), "page") ?? 1
        let size =
            try Self.integer(query["page_size"].map(JSONValue.string), "page_size") ?? MemoryStore.defaultPageSize
        let (count, events) = try await store.events(page: page, pageSize: size, in: context.project)
        let authority = request.head.authority ?? "127.0.0.1"
        let base = "http://\(authority)\(request.uri.path)?"
        let next = page * size < count ? JSONValue.string(base + query.with(page: page + 1, pageSize: size)) : .null
        let previous = page > 1 ? JSONValue.string(base + query.with(page: page - 1, pageSize: size)) : .null
        return JSONResponse.make(
            JSONValue.object([
                "count": .int(Int64(count)), "next": next, "previous": previous,
                "results": .array(try events.map { try JSONValue(encoding: $0) }),
            ]))
    }

    /// The filter of an export or summary body: `filters` (flat or AND/OR) or top-level ids.
    func exportFilter(_ object: [String: JSONValue]) throws -> MemoryFilter {
        var copy = object
        copy["metadata"] = nil
        return try Self.bodyFilter(copy, version: 2)
    }

    /// `POST /v1/exports/`: builds the export at once from the memories the filter selects
    /// (deterministically; see ``ExportRegistry/build(schema:texts:)``).
    func createExport(_ request: Request, _ context: MemoryRequestContext) async throws -> Response {
        let object = try await body(request, context)
        guard let schema = object["schema"], !schema.isNull else {
            throw ServerError.badRequest("Schema is required and must be a valid object", path: "schema")
        }
        let filter = try exportFilter(object)
        let tooLarge = ServerError.badRequest(
            "The export would be larger than \(ExportRegistry.maxExportBytes >> 20) MiB; narrow the filters.",
            path: "filters")
        // Read page by page, stopping as soon as the texts (times the schema properties that
        // repeat them) pass the bound: never more than it in memory.
        let copies = ExportRegistry.textCopies(schema: schema)
        var texts: [String] = []
        var bytes = 0
        var page = 1
        while texts.count < 10_000 {
            let listed = try await store.getAll(
                filter: filter, page: page, pageSize: MemoryStore.maxPageSize, in: context.project)
            for memory in listed.results {
                texts.append(memory.memory)
                bytes += memory.memory.utf8.count + 8
            }
            if bytes * copies > ExportRegistry.maxExportBytes { throw tooLarge }
            if listed.results.count < MemoryStore.maxPageSize || page * MemoryStore.maxPageSize >= listed.count {
                break
            }
            page += 1
        }
        let built = ExportRegistry.build(schema: schema, texts: texts)
        guard
            let id = await exports.add(
                Data(built.jsonString().utf8), filters: filter.json.jsonString(), project: context.project)
        else { throw tooLarge }
        return JSONResponse.make(
            JSONValue.object([
                "message": "Memory export request received. The export will be ready in a few seconds.",
                "id": .string(id),
            ]), status: .created)
    }

    /// `POST /v1/exports/get/` with `memory_export_id` or `filters`.
    func getExport(_ request: Request, _ context: MemoryRequestContext) async throws -> Response {
        let object = try await body(request, context)
        let found: Data?
        if let id = object["memory_export_id"]?.stringValue {
            found = await exports.get(id: id, project: context.project)
        } else {
            found = await exports.get(filters: try exportFilter(object).json.jsonString(), project: context.project)
        }
        guard let found else { throw ServerError(.notFound, "No memory export request found") }
        return JSONResponse.make(data: found, status: .ok)
    }

    /// `GET /v1/exports/?user_id=...` (SDK ≤ 0.1.86).
    func getExportQuery(_ request: Request, _ context: MemoryRequestContext) async throws -> Response {
        let query = QueryItems(request.uri.query ?? "")
        var object: [String: JSONValue] = [:]
        for (name, value) in query.items { object[name] = .string(value) }
        if let id = query["memory_export_id"] {
            guard let found = await exports.get(id: id, project: context.project) else {
                throw ServerError(.notFound, "No memory export request found")
            }
            return JSONResponse.make(data: found, status: .ok)
        }
        let filters = try exportFilter(object).json.jsonString()
        guard let found = await exports.get(filters: filters, project: context.project) else {
            throw ServerError(.notFound, "No memory export request found")
        }
        return JSONResponse.make(data: found, status: .ok)
    }

    /// `POST /v1/summary/`: a deterministic summary, the memory count and the texts as bullets.
    func summary(_ request: Request, _ context: MemoryRequestContext) async throws -> Response {
        let object = try await body(request, context)
        let filter = try exportFilter(object)
        let memories = try await store.all(filter: filter, limit: 1000, in: context.project)
        let lines = memories.map { "- " + $0.memory }
        let text = "\(memories.count) memories.\n" + lines.joined(separator: "\n")
        return JSONResponse.make(
            JSONValue.object(["summary": .string(text), "memory_count": .int(Int64(memories.count))]))
    }

    /// `POST /v1/feedback/` `{memory_id, feedback, feedback_reason}`: checked and echoed.
    func feedback(_ request: Request, _ context: MemoryRequestContext) async throws -> Response {
        let object = try await body(request, context)
        guard let id = object["memory_id"]?.stringValue, MemoryStore.isUUID(id) else {
            throw ServerError.badRequest("Invalid memory_id", path: "memory_id")
        }
        let feedback = object["feedback"] ?? .null
        if !feedback.isNull {
            guard let f = feedback.stringValue, ["POSITIVE", "NEGATIVE", "VERY_NEGATIVE"].contains(f) else {
                throw ServerError.badRequest(
                    "feedback must be POSITIVE, NEGATIVE, VERY_NEGATIVE or null", path: "feedback")
            }
        }
        _ = try await store.get(id: id, in: context.project)
        return JSONResponse.make(
            JSONValue.object([
                "id": .string(id), "feedback": feedback, "feedback_reason": object["feedback_reason"] ?? .null,
            ]))
    }
}
