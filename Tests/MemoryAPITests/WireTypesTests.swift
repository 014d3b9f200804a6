import Foundation
import Testing

@testable import MemoryAPI

/// Requests and answers other than memories and filters.
@Suite struct WireTypesTests {
    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    @Test func addRequestAcceptsEveryMessagesShape() throws {
        let bare = try decode(AddRequest.self, #"{"messages":"I like tea","user_id":"u","output_format":"v1.1"}"#)
        #expect(bare.messages == [Message(role: .user, text: "I like tea")] && bare.outputFormat == "v1.1")
        let one = try decode(AddRequest.self, #"{"messages":{"role":"assistant","content":"ok"},"agent_id":"a"}"#)
        #expect(one.messages.count == 1 && one.messages[0].role == .assistant && one.scope.agentID == "a")
        let parts = try decode(
            AddRequest.self,
            #"{"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"x"}}]}],"filters":{"user_id":"f"},"timestamp":1700000000.7,"unknown":1}"#
        )
        #expect(parts.messages[0].content.text == "a" && parts.messages[0].content.nonTextParts.count == 1)
        #expect(parts.effectiveScope.userID == "f" && parts.timestamp == 1_700_000_000)
        #expect(throws: DecodingError.self) { try decode(AddRequest.self, #"{"user_id":"u"}"#) }
        #expect(throws: DecodingError.self) {
            try decode(AddRequest.self, #"{"messages":[{"role":"user","content":"x"}],"metadata":[1]}"#)
        }
        #expect(throws: DecodingError.self) { try decode(AddRequest.self, #"{"messages":5}"#) }
    }

    @Test func addResponseShapesRoundTrip() throws {
        let list = try decode(AddResponse.self, #"[{"id":"1","data":{"memory":"m"},"event":"ADD"}]"#)
        #expect(list.shape == .list && list.results[0].memory == "m" && list.results[0].event == .add)
        let pending = try decode(
            AddResponse.self,
            #"{"results":[{"message":"queued","status":"PENDING","event_id":"e1"}]}"#)
        #expect(pending.shape == .envelope && pending.pendingEventIDs == ["e1"])
        let v3 = try decode(AddResponse.self, #"{"event_id":"e2","status":"PENDING"}"#)
        #expect(v3.shape == .event && v3.pendingEventIDs == ["e2"])
        for r in [list, pending, v3] {
            #expect(try decode(AddResponse.self, String(decoding: JSONEncoder().encode(r), as: UTF8.self)) == r)
        }
        #expect(throws: DecodingError.self) { try decode(AddResponse.self, #"{"detail":"nope"}"#) }
    }

    @Test func pagesDecodeFromEveryListShape() throws {
        let bare = try decode(Page<Memory>.self, #"[{"id":"1","memory":"a"}]"#)
        #expect(bare.shape == .list && bare.count == 1 && bare.next == nil)
        let results = try decode(Page<Memory>.self, #"{"results":[{"id":"1","memory":"a"},{"id":"2","memory":"b"}]}"#)
        #expect(results.shape == .results && results.count == 2)
        let page = try decode(
            Page<Memory>.self, #"{"count":204,"next":"https://h/v1/memories/?page=2","previous":null,"results":[]}"#)
        #expect(page.shape == .paginated && page.count == 204 && page.next == "https://h/v1/memories/?page=2")
        let again = try decode(Page<Memory>.self, String(decoding: JSONEncoder().encode(page), as: UTF8.self))
        #expect(again == page)
    }

    @Test func entitiesHistoryPingAndJobs() throws {
        let entities = try decode(
            EntityList.self,
            #"{"count":2,"next":null,"previous":null,"results":[{"id":7,"name":"alice","type":"user","total_memories":3},{"id":"8","name":"bot","type":"agent","metadata":"None"}],"total_users":1}"#
        )
        #expect(entities.entities.map(\.name) == ["alice", "bot"] && entities.entities[0].id == "7")
        #expect(entities.totals[.user] == 1)
        let history = try decode(
            [HistoryEntry].self,
            #"[{"id":"h","memory_id":"m","input":[{"role":"user","content":"x"}],"old_memory":"None","new_memory":"n","event":"ADD","metadata":"None","session_id":"s"}]"#
        )
        #expect(history[0].oldMemory == nil && history[0].newMemory == "n" && history[0].scope.runID == "s")
        let ping = try decode(Ping.self, #"{"status":"ok","org_id":"o","project_id":"p","user_email":"a@b"}"#)
        #expect(ping.orgID == "o" && ping.projectID == "p")
        let job = try decode(
            MemoryJob.self, #"{"id":"e","status":"succeeded","results":[{"id":"1","memory":"m","event":"ADD"}]}"#)
        #expect(job.status == .succeeded && job.status.isFinal && job.results?.first?.id == "1")
    }

    @Test func updateRequestKeepsExplicitNull() throws {
        let clear = try decode(UpdateRequest.self, #"{"expiration_date":null}"#)
        #expect(clear.expirationDate == .clear && !clear.isEmpty)
        let encoded = String(decoding: try JSONEncoder().encode(clear), as: UTF8.self)
        #expect(encoded == #"{"expiration_date":null}"#)
        let old = try decode(UpdateRequest.self, #"{"message":"new text"}"#)
        #expect(old.text == "new text")
        #expect(try decode(UpdateRequest.self, #"{}"#).isEmpty)
    }

    @Test func batchLimitsAreCheckedBeforeSending() throws {
        let ok = BatchRequest(memories: (0..<1000).map { BatchDeleteItem(memoryID: "\($0)") })
        try ok.validate()
        let tooMany = BatchRequest(memories: (0..<1001).map { BatchDeleteItem(memoryID: "\($0)") })
        let error = #expect(throws: MemoryAPIError.self) { try tooMany.validate() }
        #expect(error?.code == .validation && error?.message.contains("1001") == true)
        #expect(throws: MemoryAPIError.self) { try BatchRequest<BatchUpdateItem>(memories: []).validate() }
        let seedStyle = try decode(BatchRequest<BatchDeleteItem>.self, #"{"memory_ids":[{"memory_id":"a"},"b"]}"#)
        #expect(seedStyle.memories.map(\.memoryID) == ["a", "b"])
    }

    @Test func errorsTakeTheServersWordsFromEveryBodyShape() {
        let cases: [(Int, String, MemoryAPIError.Code, String?)] = [
            (401, #"{"detail":"Invalid API key."}"#, .authentication, "Invalid API key."),
            (404, #"{"error":"Memory not found!"}"#, .notFound, "Memory not found!"),
            (400, #"{"message":"One of the filters is required!"}"#, .validation, "One of the filters is required!"),
            (
                400, #"{"error":"400 Bad Request","details":{"message":"Invalid input data."}}"#, .validation,
                "Invalid input data."
            ),
            (400, #"["first problem","second"]"#, .validation, "first problem; second"),
            (429, "slow down", .rateLimited, "slow down"),
            (503, "", .unavailable, nil),
            (500, "<html>oops</html>", .server, "<html>oops</html>"),
            (413, #"{"detail":"too big"}"#, .quotaExceeded, "too big"),
            (409, "{}", .validation, "{}"),
        ]
        for (status, body, code, detail) in cases {
            let e = MemoryAPIError.fromResponse(status: status, body: Data(body.utf8))
            #expect(
                e.code == code && e.detail == detail && e.status == status && !e.mayHaveBeenApplied, "\(status) \(body)"
            )
        }
        #expect(MemoryAPIError.extractDetail(from: Data(String(repeating: "x", count: 2000).utf8))?.count == 501)
        #expect(MemoryAPIError.Code.rateLimited.description == "rate_limited")
    }

    @Test func jsonValueKeepsIntegersApartFromDoubles() throws {
        let v = try JSONValue.parse(#"{"i":3,"d":3.5,"big":9007199254740993,"s":"x","n":null,"b":false,"a":[]}"#)
        #expect(v["i"] == .int(3) && v["d"] == .double(3.5) && v["big"] == .int(9_007_199_254_740_993))
        #expect(v.jsonString() == #"{"a":[],"b":false,"big":9007199254740993,"d":3.5,"i":3,"n":null,"s":"x"}"#)
        #expect(throws: MemoryAPIError.self) { try JSONValue.parse("{bad") }
    }
}
