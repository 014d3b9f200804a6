import Foundation
import MemoryAPI
import Reading
import Testing

@Suite struct OSSPayloadTests {
    let spec = StoreSpec(kind: .postgres, path: nil, postgres: nil, collection: "memories")

    @Test func mapsAPayloadAsTheOSSReadPathDoes() throws {
        let payload: [String: JSONValue] = [
            "data": "likes tea", "hash": "abc", "text_lemmatized": "like tea", "user_id": "u", "agent_id": "a",
            "run_id": "r", "actor_id": "bob", "role": "assistant", "attributed_to": "user",
            "expiration_date": "2099-12-31", "created_at": "2024-03-01T09:30:15.123456+00:00",
            "updated_at": "2024-03-02T09:30:15+00:00", "topic": "food", "memory_type": "procedural_memory",
            "nothing": nil,
        ]
        let m = try OSSPayload.memory(id: "p1", payload: payload, origin: spec)
        #expect(m.memory == "likes tea")
        #expect(m.scope == Scope(userID: "u", agentID: "a", runID: "r"))
        #expect(m.expirationDate == "2099-12-31")
        #expect(m.hash == "abc")
        #expect(m.createdAt.map { Int64($0.timeIntervalSince1970) } == 1_709_285_415)
        let metadata = try #require(m.metadata)
        #expect(metadata["topic"] == "food")
        #expect(metadata["memory_type"] == "procedural_memory")
        #expect(metadata["text_lemmatized"] == nil && metadata["nothing"] == nil && metadata["data"] == nil)
        let kept = try #require(metadata[OSSPayload.extensionField]?.objectValue)
        #expect(kept["role"] == "assistant" && kept["actor_id"] == "bob" && kept["hash"] == "abc")
        #expect(kept["store"] == "postgres" && kept["collection"] == "memories")
    }

    @Test func aPayloadWithoutDataOrWithABadDateIsAnError() {
        #expect(throws: ReadingError.self) { try OSSPayload.memory(id: "p", payload: ["user_id": "u"], origin: spec) }
        #expect(throws: ReadingError.self) { try OSSPayload.memory(id: "p", payload: ["data": ""], origin: spec) }
        #expect(throws: ReadingError.self) {
            try OSSPayload.memory(id: "p", payload: ["data": "x", "created_at": "yesterday"], origin: spec)
        }
        do {
            _ = try OSSPayload.memory(id: "p9", payload: ["user_id": "u"], origin: spec)
        } catch let error as ReadingError {
            #expect(error.code == .missingData)
            #expect(error.description.contains("p9"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
