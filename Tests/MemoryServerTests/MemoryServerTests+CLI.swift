import Foundation
import Hummingbird
import HummingbirdTesting
import MemoryAPI
import MemoryServer
import Testing

/// What the official `mem0` CLI 0.2.13 needs of the server (ecosystem doc §2.7): the event list,
/// the `source` marker ignored, `detail` on every 400, `latest_only` and `include_merged`.
extension MemoryServerTests {
    @Test func eventsAreListedNewestFirstInTheEnvelope() async throws {
        try await ServerHarness.with { h in
            var eventIDs: [String] = []
            for text in ["one", "two", "three"] {
                let r = try await h.send(.post, "/v3/memories/add/", body: #"{"messages": "\#(text)", "user_id": "u"}"#)
                eventIDs.append(try #require(r.json["event_id"]?.stringValue))
            }
            let all = try await h.send(.get, "/v1/events/")
            #expect(all.status == 200)
            #expect(all.json["count"] == 3 && all.json["next"] == .null && all.json["previous"] == .null)
            let results = try #require(all.json["results"]?.arrayValue)
            #expect(results.compactMap { $0["id"]?.stringValue } == eventIDs.reversed())
            let first = try #require(results.last)
            #expect(first["event_type"] == "ADD" && first["status"] == "SUCCEEDED")
            #expect(first["results"]?[0]?["memory"] == "one")
            #expect(first["results"]?[0]?["data"]?["memory"] == "one")
            #expect(first["latency"]?.doubleValue != nil)
            #expect(first["created_at"]?.stringValue != nil && first["updated_at"]?.stringValue != nil)
            #expect(first["started_at"]?.stringValue != nil)
            for key in ["payload", "metadata", "graph_status", "error", "completed_at"] {
                #expect(first.objectValue?[key] != nil, "the event object of contract §3.23 has \(key)")
            }

            let paged = try await h.send(.get, "/v1/events?page=2&page_size=2")
            #expect(paged.json["count"] == 3)
            #expect(paged.json["results"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [eventIDs[0]])
            #expect(paged.json["next"] == .null)
            #expect(paged.json["previous"]?.stringValue?.hasSuffix("/v1/events?page=1&page_size=2") == true)

            let past = try await h.send(.get, "/v1/events/?page=9&page_size=2")
            #expect(past.status == 404)
            let bad = try await h.send(.get, "/v1/events/?page_size=0")
            #expect(bad.status == 400 && !bad.detail.isEmpty)
            let other = try await h.send(.get, "/v1/events/", key: "other-key")
            #expect(other.json["count"] == 0 && other.json["results"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test func theCLIsSourceMarkerIsNeitherAFilterNorMetadata() async throws {
        try await ServerHarness.with { h in
            let added = try await h.send(
                .post, "/v3/memories/add/",
                body: #"{"messages": [{"role": "user", "content": "likes tea"}], "user_id": "u", "infer": false, "#
                    + #""metadata": {"k": "v"}, "source": "CLI"}"#)
            let id = try #require(added.json["results"]?[0]?["id"]?.stringValue)
            let got = try await h.send(.get, "/v1/memories/\(id)/?source=CLI")
            #expect(got.status == 200 && got.json["metadata"] == ["k": "v"])
            let listed = try await h.send(.get, "/v1/memories/?user_id=u&source=CLI")
            #expect(listed.json.arrayValue?.count == 1)
            let v3 = try await h.send(
                .post, "/v3/memories/?page=1&page_size=100", body: #"{"filters": {"user_id": "u"}, "source": "CLI"}"#)
            #expect(v3.json["count"] == 1)
            let search = try await h.send(
                .post, "/v3/memories/search/",
                body: #"{"query": "tea", "top_k": 10, "threshold": 0.3, "filters": {"user_id": "u"}, "source": "CLI"}"#)
            #expect(search.json["results"]?.arrayValue?.count == 1)
            let updated = try await h.send(
                .put, "/v1/memories/\(id)/", body: #"{"text": "likes green tea", "source": "CLI"}"#)
            #expect(updated.status == 200 && updated.json["metadata"] == ["k": "v"])

            // `mem0 delete --all` with no ids sends only the marker: a 400 with a detail, not a wipe.
            let wipe = try await h.send(.delete, "/v1/memories/?source=CLI")
            #expect(wipe.status == 400 && !wipe.detail.isEmpty)
            let scoped = try await h.send(.delete, "/v1/memories/?source=CLI&user_id=nobody")
            #expect(scoped.status == 200)
            #expect((try await h.send(.get, "/v1/memories/\(id)/")).status == 200)
            let entity = try await h.send(.delete, "/v2/entities/user/u/?source=CLI")
            #expect(entity.status == 200)
            #expect((try await h.send(.get, "/v1/memories/\(id)/")).status == 404)
        }
    }

    @Test func every400CarriesADetail() async throws {
        try await ServerHarness.with { h in
            let requests: [(HTTPRequest.Method, String, String?)] = [
                (
                    .post, "/v3/memories/search/",
                    #"{"query": "x", "filters": {"AND": [{"categories": {"in": ["w"]}}]}}"#
                ),
                (.post, "/v3/memories/", #"{"source": "CLI"}"#),
                (.post, "/v3/memories/", #"{"filters": {"user_id": "u"}, "latest_only": "maybe"}"#),
                (.post, "/v3/memories/add/", #"{"source": "CLI"}"#),
                (.delete, "/v1/memories/?source=CLI", nil),
                (.get, "/v1/memories/not-a-uuid/?source=CLI", nil),
                (.put, "/v1/memories/00000000-0000-4000-8000-000000000000/", #"{"lifecycle_state": 3}"#),
            ]
            for (method, path, body) in requests {
                let r = try await h.send(method, path, body: body)
                #expect(r.status == 400, "\(method) \(path) answered \(r.status)")
                #expect(!r.detail.isEmpty, "\(method) \(path) has no detail: \(r.json)")
            }
        }
    }

    @Test func latestOnlyAndIncludeMergedFollowTheDreamLifecycle() async throws {
        @Sendable func has(_ r: ServerHarness.Reply, _ key: String) -> Bool { r.json.objectValue?[key] != nil }
        @Sendable func ids(_ r: ServerHarness.Reply) -> Set<String> {
            Set((r.json["results"]?.arrayValue ?? r.json.arrayValue ?? []).compactMap { $0["id"]?.stringValue })
        }
        try await ServerHarness.with { h in
            let added = try await h.add(
                ["works at initech", "works at globex", "employed by globex", "a pattern"], user: "u")
            let (old, new, duplicate, pattern) = (added[0], added[1], added[2], added[3])
            let superseded = try await h.send(
                .put, "/v1/memories/\(old)/", body: #"{"lifecycle_state": "superseded", "replaced_by": "\#(new)"}"#)
            #expect(superseded.status == 200)
            #expect(
                superseded.json["lifecycle_state"] == "superseded" && superseded.json["replaced_by"] == .string(new))
            let merged = try await h.send(
                .put, "/v1/memories/\(duplicate)/",
                body: #"{"lifecycle_state": "merged", "replaced_by": "\#(new)", "text": "employed by globex inc"}"#)
            #expect(merged.json["memory"] == "employed by globex inc" && merged.json["lifecycle_state"] == "merged")
            let synthesized = try await h.send(.put, "/v1/memories/\(pattern)/", body: #"{"synthesized": true}"#)
            #expect(synthesized.json["synthesized"] == true && !has(synthesized, "lifecycle_state"))
            let unknown = try await h.send(.put, "/v1/memories/\(pattern)/", body: #"{"lifecycle_state": "gone"}"#)
            #expect(unknown.status == 400 && unknown.detail.contains("lifecycle_state"))

            let listing = #"{"filters": {"user_id": "u"}"#
            #expect(ids(try await h.send(.post, "/v3/memories/", body: listing + "}")) == [old, new, pattern])
            #expect(
                ids(try await h.send(.post, "/v3/memories/", body: listing + #", "latest_only": true}"#)) == [
                    new, pattern,
                ])
            #expect(
                ids(try await h.send(.post, "/v3/memories/", body: listing + #", "include_merged": true}"#))
                    == [old, new, duplicate, pattern])
            #expect(
                ids(try await h.send(.post, "/v3/memories/?include_merged=true&latest_only=true", body: listing + "}"))
                    == [new, pattern])
            #expect(
                ids(try await h.send(.post, "/v2/memories/", body: listing + #", "include_merged": true}"#)).count == 4)
            #expect(ids(try await h.send(.get, "/v1/memories/?user_id=u&latest_only=true")) == [new, pattern])
            #expect(ids(try await h.send(.get, "/v1/memories/?user_id=u&include_merged=true")).count == 4)

            let search = #"{"query": "globex initech", "threshold": 0, "filters": {"user_id": "u"}"#
            #expect(ids(try await h.send(.post, "/v3/memories/search/", body: search + "}")) == [old, new])
            #expect(
                ids(try await h.send(.post, "/v3/memories/search/", body: search + #", "latest_only": true}"#)) == [new]
            )
            #expect(
                ids(try await h.send(.post, "/v3/memories/search/", body: search + #", "include_merged": true}"#))
                    == [old, new, duplicate])

            // A memory outside Dream carries none of the fields; get returns the rest as set.
            let plain = try await h.send(.get, "/v1/memories/\(new)/")
            #expect(!has(plain, "lifecycle_state") && !has(plain, "synthesized") && !has(plain, "replaced_by"))
            let gone = try await h.send(.get, "/v1/memories/\(duplicate)/")
            #expect(gone.json["replaced_by"] == .string(new))
        }
    }
}
