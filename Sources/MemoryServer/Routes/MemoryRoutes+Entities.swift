import Foundation
import Hummingbird
import MemoryAPI
import MemoryStore

extension MemoryRoutes {
    /// `GET /v1/entities/`: every entity with memories, on one page, with totals.
    func entities(_ request: Request, _ context: MemoryRequestContext) async throws -> Response {
        var list = try await store.entities(in: context.project)
        for t in EntityType.allCases { list.totals[t] = list.entities.filter { $0.type == t }.count }
        return JSONResponse.make(list)
    }

    /// The entity type of a path, with the platform's complaint for anything else.
    func entityType(_ context: MemoryRequestContext) throws -> EntityType {
        let raw = try parameter("type", context)
        let name = raw.hasSuffix("s") ? String(raw.dropLast()) : raw
        guard let t = EntityType(rawValue: name.lowercased()) else {
            throw ServerError.badRequest("Invalid entity type: \(raw) (use user, agent, app or run)", path: "type")
        }
        return t
    }

    /// `DELETE /v2/entities/{type}/{name}/`: the entity and all its memories.
    func deleteEntity(_ request: Request, _ context: MemoryRequestContext) async throws -> Response {
        let t = try entityType(context)
        let name = try parameter("name", context)
        let n = try await store.deleteEntity(type: t, name: name, in: context.project)
        return JSONResponse.make(
            JSONValue.object(["message": "Entity deleted successfully!", "deleted_memories": .int(Int64(n))]))
    }

    /// `DELETE /v1/entities/{type}/{id}/`: the same by the numeric id of the entity list (SDK ≤ 0.1.97).
    func deleteEntityV1(_ request: Request, _ context: MemoryRequestContext) async throws -> Response {
        let t = try entityType(context)
        let raw = try parameter("id", context)
        guard let id = Int64(raw) else {
            throw ServerError.badRequest("entity id must be the numeric id from /v1/entities/, got \(raw)", path: "id")
        }
        let n = try await store.deleteEntity(type: t, numericID: id, in: context.project)
        return JSONResponse.make(
            JSONValue.object(["message": "Entity deleted successfully!", "deleted_memories": .int(Int64(n))]))
    }
}
