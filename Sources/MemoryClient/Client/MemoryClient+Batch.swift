import Foundation
import MemoryAPI

extension MemoryClient {
    /// `PUT /v1/batch/`: new text and/or metadata for up to 1000 memories in one call.
    ///
    /// An empty or oversized batch is refused before anything is sent.
    public func batchUpdate(_ items: [BatchUpdateItem]) async throws -> MessageResponse {
        let body = BatchRequest(memories: items)
        try body.validate()
        return try await perform(
            Endpoint(
                "batch_update", .PUT, path: Endpoint.path("v1", "batch"), body: try Self.json(body),
                effect: .idempotentWrite),
            decode: Self.decodeMessage
        ).value
    }

    /// `DELETE /v1/batch/` with a JSON body: deletes up to 1000 memories in one call.
    ///
    /// An empty or oversized batch is refused before anything is sent.
    public func batchDelete(_ items: [BatchDeleteItem]) async throws -> MessageResponse {
        let body = BatchRequest(memories: items)
        try body.validate()
        return try await perform(
            Endpoint(
                "batch_delete", .DELETE, path: Endpoint.path("v1", "batch"), body: try Self.json(body),
                effect: .idempotentWrite),
            decode: Self.decodeMessage
        ).value
    }
}
