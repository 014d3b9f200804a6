import Foundation
import Hummingbird
import MemoryAPI
import MemoryStore

extension MemoryRoutes {
    /// `PUT /v1/batch/` `{"memories": [{"memory_id", "text"?, "metadata"?}]}`, at most 1000.
    func batchUpdate(_ request: Request, _ context: MemoryRequestContext) async throws -> Response {
        let object = try await body(request, context)
        try Self.checkBatchShape(object)
        let batch = try decode(BatchRequest<BatchUpdateItem>.self, from: object)
        let n = try await store.batchUpdate(batch.memories, in: context.project)
        return JSONResponse.message("Successfully updated \(n) memories")
    }

    /// `DELETE /v1/batch/` `{"memories": [{"memory_id"}]}`, at most 1000.
    func batchDelete(_ request: Request, _ context: MemoryRequestContext) async throws -> Response {
        let object = try await body(request, context)
        try Self.checkBatchShape(object)
        let batch = try decode(BatchRequest<BatchDeleteItem>.self, from: object)
        let n = try await store.batchDelete(batch.memories.map(\.memoryID), in: context.project)
        return JSONResponse.message("Successfully deleted \(n) memories")
    }

    /// Refuses a batch without a `memories` list, or with more than 1000 items, before decoding it.
    static func checkBatchShape(_ object: [String: JSONValue]) throws {
        guard let list = object["memories"] ?? object["memory_ids"] else {
            throw ServerError.badRequest("memories is required: a list of {\"memory_id\": ...}", path: "memories")
        }
        guard let items = list.arrayValue else {
            throw ServerError.badRequest("memories must be a list, got \(list.typeDescription)", path: "memories")
        }
        if items.count > MemoryStore.maxBatchItems {
            throw ServerError.badRequest(
                "Maximum of \(MemoryStore.maxBatchItems) memories can be processed in a single request "
                    + "(got \(items.count))", path: "memories")
        }
    }
}
