import Foundation
import Hummingbird
import MemoryAPI
import MemoryStore

extension MemoryRoutes {
    /// `GET /v1/memories/{id}/`.
    func get(_ request: Request, _ context: MemoryRequestContext) async throws -> Response {
        JSONResponse.make(try await store.get(id: try memoryID(context), in: context.project))
    }

    /// `PUT /v1/memories/{id}/`: text, metadata, timestamp, expiration_date (null clears it).
    ///
    /// memport's extension: `lifecycle_state`, `synthesized` and `replaced_by` set the memory's
    /// Dream lifecycle fields, so a test or demo can stand in for Dream (the platform sets them itself).
    func update(_ request: Request, _ context: MemoryRequestContext) async throws -> Response {
        let id = try memoryID(context)
        let object = try await body(request, context)
        let change = try decode(UpdateRequest.self, from: object)
        let lifecycleKeys = ["lifecycle_state", "synthesized", "replaced_by"]
        guard lifecycleKeys.contains(where: { object[$0] != nil }) else {
            return JSONResponse.make(try await store.update(id: id, change, in: context.project))
        }
        var state: String?
        if let v = object["lifecycle_state"], !v.isNull {
            guard let s = v.stringValue else {
                throw ServerError.badRequest(
                    "lifecycle_state must be a string, got \(v.typeDescription)", path: "lifecycle_state")
            }
            state = s
        }
        let synthesized = try Self.boolean(object["synthesized"], "synthesized")
        var replacedBy: String??
        if let v = object["replaced_by"] {
            guard v.isNull || v.stringValue != nil else {
                throw ServerError.badRequest(
                    "replaced_by must be a memory id or null, got \(v.typeDescription)", path: "replaced_by")
            }
            replacedBy = .some(v.stringValue)
        }
        if !change.isEmpty { _ = try await store.update(id: id, change, in: context.project) }
        return JSONResponse.make(
            try await store.setLifecycle(
                id: id, state: state, synthesized: synthesized, replacedBy: replacedBy, in: context.project))
    }

    /// `DELETE /v1/memories/{id}/`.
    func delete(_ request: Request, _ context: MemoryRequestContext) async throws -> Response {
        try await store.delete(id: try memoryID(context), in: context.project)
        return JSONResponse.message("Memory deleted successfully!")
    }

    /// `GET /v1/memories/{id}/history/`.
    func history(_ request: Request, _ context: MemoryRequestContext) async throws -> Response {
        JSONResponse.make(try await store.history(id: try memoryID(context), in: context.project))
    }

    /// `DELETE /v1/memories/?user_id=...`: entity ids (`*` for any), `metadata`, or a
    /// `filters` dict (SDK 2.x sends it as a Python repr). No filter at all is a 400; all four
    /// ids set to `*` wipes the project.
    func deleteAll(_ request: Request, _ context: MemoryRequestContext) async throws -> Response {
        let query = QueryItems(request.uri.query ?? "")
        var parts: [JSONValue] = []
        var wildcards = 0
        for t in EntityType.allCases {
            guard let v = query[t.idField] ?? (t == .run ? query["session_id"] : nil) else { continue }
            if v == "*" { wildcards += 1 }
            parts.append(.object([t.idField: .string(v)]))
        }
        if let meta = query["metadata"] {
            parts.append(.object(["metadata": try Self.literal(meta, name: "metadata")]))
        }
        if let f = query["filters"] {
            let value = try Self.literal(f, name: "filters")
            guard case .object(let o) = value else {
                throw ServerError.badRequest("filters must be a dict, got \(value.typeDescription)", path: "filters")
            }
            if !o.isEmpty { parts.append(value) }
        }
        if parts.isEmpty {
            throw ServerError.badRequest(
                "At least one filter is required to delete memories: user_id, agent_id, app_id, run_id "
                    + "(\"*\" for all), metadata or filters.")
        }
        let filter: MemoryFilter? =
            wildcards == EntityType.allCases.count && parts.count == wildcards
            ? nil : try Self.filter(.object(["AND": .array(parts)]), path: "query")
        let n = try await store.deleteAll(filter: filter, in: context.project)
        return JSONResponse.make(
            JSONValue.object(["message": "Memories deleted successfully!", "deleted_count": .int(Int64(n))]))
    }
}
