import Foundation
import Hummingbird
import HummingbirdTesting
import MemoryAPI
import MemoryServer
import Testing

@Suite struct MemoryServerTests {
    @Test func authIsRequiredAndErrorsAreJSON() async throws {
        try await ServerHarness.with { h in
            let missing = try await h.send(.get, "/v1/ping/", key: nil)
            #expect(missing.status == 401)
            #expect(missing.detail == "Authentication credentials were not provided.")
            let wrong = try await h.send(.get, "/v1/ping/", key: "nope")
            #expect(wrong.status == 401)
            #expect(wrong.detail.hasPrefix("Invalid API key"))
            let ok = try await h.send(.get, "/v1/ping/")
            #expect(ok.status == 200)
            #expect(ok.json["org_id"] == "default-org" && ok.json["project_id"] == "default-project")
            let other = try await h.send(.get, "/v1/ping/", key: "other-key")
            #expect(other.json["project_id"] == "proj-b")
            let unknown = try await h.send(.get, "/v9/nothing/")
            #expect(unknown.status == 404 && unknown.detail.contains("/v9/nothing/"))
        }
    }

    @Test func everyPathAnswersWithAndWithoutTheSlash() async throws {
        try await ServerHarness.with { h in
            let ids = try await h.add(["hello"], user: "u")
            for path in [
                "/v1/ping", "/v1/ping/", "/v1/entities", "/v1/entities/", "/v1/memories/\(ids[0])",
                "/v1/memories/\(ids[0])/", "/v1/memories/\(ids[0])/history", "/v1/memories?user_id=u",
            ] {
                let r = try await h.send(.get, path)
                #expect(r.status == 200, "GET \(path) answered \(r.status)")
            }
            for path in ["/v3/memories", "/v3/memories/", "/v2/memories/search", "/v3/memories/search/"] {
                let body = #"{"query": "hello", "filters": {"user_id": "u"}}"#
                let r = try await h.send(.post, path, body: body)
                #expect(r.status == 200, "POST \(path) answered \(r.status)")
            }
        }
    }

    @Test func keysSeeOnlyTheirProject() async throws {
        try await ServerHarness.with { h in
            let ids = try await h.add(["mine"], user: "u")
            let foreign = try await h.send(.get, "/v1/memories/\(ids[0])/", key: "other-key")
            #expect(foreign.status == 404)
            let listed = try await h.send(.get, "/v1/memories/?user_id=u", key: "other-key")
            #expect(listed.json.arrayValue?.isEmpty == true)
            let elsewhere = try await h.send(.get, "/v1/memories/?user_id=u&org_id=org-b&project_id=proj-b")
            #expect(elsewhere.status == 403)
        }
    }

    @Test func v1AddShapesFollowOutputFormatAndAsyncMode() async throws {
        try await ServerHarness.with { h in
            let bare = try await h.send(
                .post, "/v1/memories/", body: #"{"messages": [{"role": "user", "content": "a"}], "user_id": "u"}"#)
            #expect(bare.json.arrayValue?.first?["event"] == "ADD")
            #expect(bare.json.arrayValue?.first?["data"]?["memory"] == "a")
            let wrapped = try await h.send(
                .post, "/v1/memories/", body: #"{"messages": "b", "user_id": "u", "output_format": "v1.1"}"#)
            #expect(wrapped.json["results"]?[0]?["memory"] == "b")
            let queued = try await h.send(
                .post, "/v1/memories/",
                body: #"{"messages": "c", "user_id": "u", "output_format": "v1.1", "async_mode": true}"#)
            let item = try #require(queued.json["results"]?[0])
            #expect(item["status"] == "PENDING")
            let eventID = try #require(item["event_id"]?.stringValue)
            let event = try await h.send(.get, "/v1/event/\(eventID)/")
            #expect(event.json["status"] == "SUCCEEDED")
            #expect(event.json["results"]?[0]?["memory"] == "c")
        }
    }

    @Test func v3AddIsPendingUnlessInferIsFalse() async throws {
        try await ServerHarness.with { h in
            let pending = try await h.send(.post, "/v3/memories/add/", body: #"{"messages": "x", "user_id": "u"}"#)
            #expect(pending.json["status"] == "PENDING")
            #expect(pending.json["results"] == nil)
            let sync = try await h.send(
                .post, "/v3/memories/add/", body: #"{"messages": "y", "user_id": "u", "infer": false}"#)
            #expect(sync.json["status"] == "SUCCEEDED")
            #expect(sync.json["results"]?[0]?["memory"] == "y")
        }
    }

    @Test func paginationFollowsTheContract() async throws {
        try await ServerHarness.with { h in
            _ = try await h.add((0..<5).map { "m\($0)" }, user: "u")
            let first = try await h.send(.get, "/v1/memories/?user_id=u&page=1&page_size=2")
            #expect(first.json["count"] == 5)
            #expect(first.json["previous"] == .null)
            let next = try #require(first.json["next"]?.stringValue)
            #expect(next.hasPrefix("http://") && next.contains("page=2") && next.contains("user_id=u"))
            let start = try #require(next.range(of: "/v1/"))
            let path = String(next[start.lowerBound...])
            let second = try await h.send(.get, path)
            #expect(second.json["results"]?.arrayValue?.compactMap { $0["memory"]?.stringValue } == ["m2", "m3"])
            #expect(second.json["previous"]?.stringValue?.contains("page=1") == true)
            let past = try await h.send(.get, "/v1/memories/?user_id=u&page=4&page_size=2")
            #expect(past.status == 404 && past.detail == "Invalid page.")
            let v3 = try await h.send(
                .post, "/v3/memories/?page=3", body: #"{"filters": {"user_id": "u"}, "page_size": 2}"#)
            #expect(v3.json["results"]?.arrayValue?.count == 1)
            #expect(v3.json["next"] == .null)
            let big = try await h.send(
                .post, "/v3/memories/", body: #"{"filters": {"user_id": "u"}, "page_size": 900}"#)
            #expect(big.json["results"]?.arrayValue?.count == 5)
        }
    }

    @Test func pythonReprQueryValuesAreRead() async throws {
        try await ServerHarness.with { h in
            _ = try await h.send(
                .post, "/v3/memories/add/",
                body: #"{"messages": "vegan food", "user_id": "u", "infer": false, "metadata": {"food": "vegan"}}"#)
            _ = try await h.add(["other"], user: "u")
            let meta = "%7B%27food%27%3A+%27vegan%27%7D"  // {'food': 'vegan'}
            let r = try await h.send(.get, "/v1/memories/?user_id=u&metadata=\(meta)")
            #expect(r.json.arrayValue?.compactMap { $0["memory"]?.stringValue } == ["vegan food"])
            let filters = "%7B%27user_id%27%3A+%27u%27%7D"  // {'user_id': 'u'}
            let d = try await h.send(.delete, "/v1/memories/?filters=\(filters)")
            #expect(d.status == 200)
            let left = try await h.send(.get, "/v1/memories/?user_id=u")
            #expect(left.json.arrayValue?.isEmpty == true)
        }
    }

    @Test func immutableUpdateIsRefusedWithADetail() async throws {
        try await ServerHarness.with { h in
            let r = try await h.send(
                .post, "/v3/memories/add/",
                body: #"{"messages": "fixed", "user_id": "u", "infer": false, "immutable": true}"#)
            let id = try #require(r.json["results"]?[0]?["id"]?.stringValue)
            let u = try await h.send(.put, "/v1/memories/\(id)/", body: #"{"text": "changed"}"#)
            #expect(u.status == 400)
            #expect(u.detail.contains("immutable"))
        }
    }

    @Test func entitiesAndEntityDelete() async throws {
        try await ServerHarness.with { h in
            _ = try await h.add(["a", "b"], user: "a/b c")
            let list = try await h.send(.get, "/v1/entities/")
            let entity = try #require(list.json["results"]?[0])
            #expect(entity["name"] == "a/b c" && entity["type"] == "user" && entity["total_memories"] == 2)
            #expect(list.json["total_users"] == 1)
            let d = try await h.send(.delete, "/v2/entities/user/a%2Fb%20c/")
            #expect(d.status == 200)
            #expect(try await h.send(.get, "/v1/entities/").json["results"]?.arrayValue?.isEmpty == true)
            let bad = try await h.send(.delete, "/v2/entities/robot/x/")
            #expect(bad.status == 400 && bad.detail.contains("Invalid entity type"))
        }
    }

    @Test func exportsSummaryAndFeedbackAnswer() async throws {
        try await ServerHarness.with { h in
            let ids = try await h.add(["tea", "porto"], user: "u")
            let created = try await h.send(
                .post, "/v1/exports/",
                body: #"{"schema": {"properties": {"facts": {"type": "array"}}}, "filters": {"user_id": "u"}}"#)
            #expect(created.status == 201)
            let exportID = try #require(created.json["id"]?.stringValue)
            let got = try await h.send(.post, "/v1/exports/get/", body: #"{"memory_export_id": "\#(exportID)"}"#)
            #expect(got.json["facts"] == ["tea", "porto"])
            let missing = try await h.send(.post, "/v1/exports/get/", body: #"{"memory_export_id": "nope"}"#)
            #expect(missing.status == 404)
            let summary = try await h.send(.post, "/v1/summary/", body: #"{"filters": {"user_id": "u"}}"#)
            #expect(summary.json["memory_count"] == 2)
            let fb = try await h.send(
                .post, "/v1/feedback/", body: #"{"memory_id": "\#(ids[0])", "feedback": "POSITIVE"}"#)
            #expect(fb.status == 200 && fb.json["feedback"] == "POSITIVE")
            let badFeedback = try await h.send(
                .post, "/v1/feedback/", body: #"{"memory_id": "\#(ids[0])", "feedback": "MEH"}"#)
            #expect(badFeedback.status == 400)
        }
    }
}
