import Foundation
import Hummingbird
import HummingbirdTesting
import MemoryAPI
import MemoryServer
import Testing

/// Every kind of bad input gets a 4xx with a precise `detail`: never a 500, never a crash.
@Suite struct BadInputTests {
    @Test func malformedJSON() async throws {
        try await ServerHarness.with { h in
            let r = try await h.send(.post, "/v1/memories/", body: #"{"messages": [1, "#)
            #expect(r.status == 400)
            #expect(r.detail.hasPrefix("Malformed JSON body"))
            let notObject = try await h.send(.post, "/v3/memories/", body: "[1, 2]")
            #expect(notObject.status == 400 && notObject.detail.contains("must be a JSON object"))
        }
    }

    @Test func wrongTypes() async throws {
        try await ServerHarness.with { h in
            let messages = try await h.send(.post, "/v1/memories/", body: #"{"messages": 5, "user_id": "u"}"#)
            #expect(messages.status == 400 && messages.detail.contains("messages"))
            let user = try await h.send(.post, "/v1/memories/", body: #"{"messages": "x", "user_id": 7}"#)
            #expect(user.status == 400 && user.detail.contains("user_id"))
            let pageSize = try await h.send(
                .post, "/v3/memories/", body: #"{"filters": {"user_id": "u"}, "page_size": "lots"}"#)
            #expect(pageSize.status == 400 && pageSize.detail.contains("page_size"))
            let topK = try await h.send(
                .post, "/v3/memories/search/", body: #"{"query": "x", "filters": {"user_id": "u"}, "top_k": 0}"#)
            #expect(topK.status == 400 && topK.detail.contains("top_k"))
            let query = try await h.send(
                .post, "/v3/memories/search/", body: #"{"query": 3, "filters": {"user_id": "u"}}"#)
            #expect(query.status == 400 && query.detail.contains("query must be a string"))
            let date = try await h.send(
                .post, "/v3/memories/add/", body: #"{"messages": "x", "user_id": "u", "expiration_date": "soon"}"#)
            #expect(date.status == 400 && date.detail.contains("expiration_date"))
            let noScope = try await h.send(.post, "/v1/memories/", body: #"{"messages": "x"}"#)
            #expect(noScope.status == 400 && noScope.detail.contains("user_id"))
        }
    }

    @Test func unknownFilterOperatorsAndFields() async throws {
        try await ServerHarness.with { h in
            let op = try await h.send(.post, "/v3/memories/", body: #"{"filters": {"user_id": {"nin": ["a"]}}}"#)
            #expect(op.status == 400)
            #expect(op.detail.contains("filters.user_id.nin"))
            let field = try await h.send(
                .post, "/v3/memories/", body: #"{"filters": {"AND": [{"user_id": "u"}, {"colour": "red"}]}}"#)
            #expect(field.status == 400 && field.detail.contains("filters.AND[1].colour"))
            let unscoped = try await h.send(
                .post, "/v3/memories/", body: #"{"filters": {"keywords": {"contains": "a"}}}"#)
            #expect(unscoped.status == 400 && unscoped.detail.contains("user_id"))
            let topLevel = try await h.send(.post, "/v3/memories/", body: #"{"user_id": "u"}"#)
            #expect(topLevel.status == 400 && topLevel.detail.contains("inside filters"))
        }
    }

    @Test func sqlMetacharactersAreJustText() async throws {
        try await ServerHarness.with { h in
            let evil = "x'; DROP TABLE memories; --"
            let body = JSONValue.object(["messages": "100% _sure_", "user_id": .string(evil), "infer": false])
            let added = try await h.send(.post, "/v3/memories/add/", body: body.jsonString())
            #expect(added.status == 200)
            _ = try await h.add(["plain"], user: "x")
            let filter = JSONValue.object(["filters": ["user_id": .string(evil)]]).jsonString()
            let listed = try await h.send(.post, "/v3/memories/", body: filter)
            #expect(listed.json["results"]?.arrayValue?.compactMap { $0["memory"]?.stringValue } == ["100% _sure_"])
            let like = JSONValue.object([
                "filters": ["AND": [["user_id": "*"], ["keywords": ["contains": "%"]]]]
            ]).jsonString()
            let pct = try await h.send(.post, "/v3/memories/", body: like)
            #expect(pct.json["count"] == 1)
            let escaped = "x%27%20OR%20%271%27=%271"
            let byID = try await h.send(.get, "/v1/memories/\(escaped)/")
            #expect(byID.status == 400 && byID.detail == "memory_id should be a valid UUID")
            let q = try await h.send(.get, "/v1/memories/?user_id=\(escaped)")
            #expect(q.status == 200 && q.json.arrayValue?.isEmpty == true)
            let search = JSONValue.object(["query": "\" OR * NEAR(", "filters": ["user_id": .string(evil)]])
                .jsonString()
            #expect(try await h.send(.post, "/v3/memories/search/", body: search).status == 200)
        }
    }

    @Test func batchesOfMoreThan1000AreRefused() async throws {
        try await ServerHarness.with { h in
            let item = #"{"memory_id": "\#(UUID().uuidString)", "text": "x"}"#
            let items = Array(repeating: item, count: 1001).joined(separator: ",")
            let update = try await h.send(.put, "/v1/batch/", body: #"{"memories": [\#(items)]}"#)
            #expect(update.status == 400 && update.detail.contains("1000"))
            let delete = try await h.send(.delete, "/v1/batch/", body: #"{"memories": [\#(items)]}"#)
            #expect(delete.status == 400 && delete.detail.contains("1000"))
            let badID = try await h.send(.delete, "/v1/batch/", body: #"{"memories": [{"memory_id": "nope"}]}"#)
            #expect(badID.status == 400 && badID.detail.contains("memories[0].memory_id"))
            let missing = try await h.send(.put, "/v1/batch/", body: #"{"items": []}"#)
            #expect(missing.status == 400 && missing.detail.contains("memories is required"))
        }
    }

    @Test func oversizedBodiesGet413() async throws {
        try await ServerHarness.with(maxBodyBytes: 1024) { h in
            let text = String(repeating: "a", count: 4096)
            let r = try await h.send(.post, "/v1/memories/", body: #"{"messages": "\#(text)", "user_id": "u"}"#)
            #expect(r.status == 413)
            #expect(r.detail.contains("1024 bytes"))
        }
    }

    @Test func unknownIDsAre404() async throws {
        try await ServerHarness.with { h in
            let id = UUID().uuidString.lowercased()
            for (method, path) in [
                (HTTPRequest.Method.get, "/v1/memories/\(id)/"), (.delete, "/v1/memories/\(id)/"),
                (.get, "/v1/memories/\(id)/history/"), (.get, "/v1/event/\(id)/"),
                (.delete, "/v2/entities/user/ghost/"),
            ] {
                let r = try await h.send(method, path)
                #expect(r.status == 404, "\(method) \(path)")
                #expect(!r.detail.isEmpty)
            }
            let update = try await h.send(.put, "/v1/memories/\(id)/", body: #"{"text": "x"}"#)
            #expect(update.status == 404 && update.detail == "Memory not found!")
            let empty = try await h.send(.put, "/v1/memories/\(id)/", body: "{}")
            #expect(empty.status == 400 && empty.detail.contains("Nothing to update"))
        }
    }
}
