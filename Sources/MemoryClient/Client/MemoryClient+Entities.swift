import Foundation
import MemoryAPI

extension MemoryClient {
    /// `GET /v1/entities/`: the users, agents, apps and runs that own memories.
    public func entities() async throws -> EntityList {
        try await perform(
            Endpoint("entities", .GET, path: Endpoint.path("v1", "entities"), query: orgQuery(), effect: .read),
            as: EntityList.self
        ).value
    }

    /// `DELETE /v2/entities/{type}/{name}/`: deletes an entity and its memories.
    public func deleteEntity(_ type: EntityType, _ name: String) async throws -> MessageResponse {
        try await perform(
            Endpoint(
                "delete_entity", .DELETE, path: Endpoint.path("v2", "entities", type.rawValue, name), query: orgQuery(),
                effect: .idempotentWrite),
            decode: Self.decodeMessage
        ).value
    }

    /// Deletes every entity the server lists, and with them every memory, as the SDK's `reset()`
    /// does; lists again until nothing is left (at most `rounds` times). Returns how many
    /// entities were deleted.
    @discardableResult
    public func reset(rounds: Int = 10) async throws -> Int {
        var deleted = 0
        for _ in 0..<max(1, rounds) {
            let list = try await entities()
            if list.entities.isEmpty { break }
            for entity in list.entities {
                _ = try await deleteEntity(entity.type, entity.name)
                deleted += 1
            }
        }
        return deleted
    }
}
