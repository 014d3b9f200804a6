import Foundation
import Hummingbird
import MemoryAPI
import MemoryServer
import MemoryStore
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Values checked at the door and a server that stays up (issue 13, items 4 and 5): timestamps
/// by magnitude or refused, stored out-of-range times served without a crash, filter limits
/// named, metadata keys checked, bounded search queries and exports.
@Suite struct ValueBoundsTests {
    static func add(_ h: ServerHarness, user: String, text: String, extra: [String: JSONValue]) async throws
        -> ServerHarness.Reply
    {
        var body: [String: JSONValue] = [
            "messages": .array([.object(["role": "user", "content": .string(text)])]), "user_id": .string(user),
            "infer": false,
        ]
        for (k, v) in extra { body[k] = v }
        return try await h.send(.post, "/v3/memories/add/", body: JSONValue.object(body).jsonString())
    }

    @Test func timestampsAreReadBySizeOrRefusedNamingTheField() async throws {
        try await ServerHarness.with { h in
            for bad in ["99999999999999999", "1.5e18", "-1e300", "9.3e18"] {
                let r = try await h.send(
                    .post, "/v3/memories/add/",
                    body: #"{"messages": [{"role": "user", "content": "x"}], "user_id": "t", "timestamp": \#(bad)}"#)
                #expect(r.status == 400, "\(bad): \(r.json)")
                #expect(r.detail.contains("timestamp"), "\(r.detail)")
            }
            // Seconds, milliseconds and microseconds of one instant give one created_at.
            for (i, value) in ["1700000000", "1700000000000", "1700000000000000"].enumerated() {
                let r = try await h.send(
                    .post, "/v3/memories/add/",
                    body:
                        #"{"messages": [{"role": "user", "content": "m\#(i)"}], "user_id": "t", "infer": false, "timestamp": \#(value)}"#
                )
                #expect(r.status == 200, "\(r.json)")
                let id = try #require(r.json["results"]?[0]?["id"]?.stringValue)
                let got = try await h.send(.get, "/v1/memories/\(id)/")
                #expect(got.json["created_at"]?.stringValue == "2023-11-14T22:13:20.000000Z", "\(value)")
            }
            let date = try await Self.add(h, user: "t", text: "far", extra: ["expiration_date": "+99999-01-01"])
            #expect(date.status == 400 && date.detail.contains("expiration_date"))
            let id = try #require(
                try await Self.add(h, user: "t", text: "later", extra: [:]).json["results"]?[0]?["id"]?.stringValue)
            let update = try await h.send(.put, "/v1/memories/\(id)/", body: #"{"timestamp": 1e17}"#)
            #expect(update.status == 400 && update.detail.contains("timestamp"), "\(update.json)")
            let iso = try await h.send(.put, "/v1/memories/\(id)/", body: #"{"timestamp": "+12345-01-01T00:00:00Z"}"#)
            #expect(iso.status == 400 && iso.detail.contains("timestamp"), "\(iso.json)")
            let filter = try await h.send(
                .post, "/v3/memories/", body: #"{"filters": {"user_id": "t", "timestamp": {"gte": 1e20}}}"#)
            #expect(filter.status == 400 && filter.detail.contains("timestamp"))
        }
    }

    /// Times written straight into SQLite before memport checked them are served as stored
    /// (an ISO 8601 expanded year, or the raw seconds): no crash, on every read path.
    @Test func outOfRangeTimesAlreadyStoredAreServedNotFatal() async throws {
        try await TemporaryDirectory.with { dir in
            let path = dir.path("server.db")
            let store = try MemoryStore(path: path)
            let ids = try await store.add(
                AddRequest(
                    messages: [
                        Message(role: .user, text: "one"), Message(role: .user, text: "two"),
                        Message(role: .user, text: "three"),
                    ], scope: Scope(userID: "old"), infer: false), in: .default
            ).results.compactMap(\.id)
            #expect(ids.count == 3)
            try Self.sqlite(
                path,
                """
                UPDATE memories SET created_at = -99999999999999, updated_at = 99999999999999999 WHERE id = '\(ids[0])';
                UPDATE memories SET created_at = 1.5e18, updated_at = 1e300 WHERE id = '\(ids[1])';
                UPDATE memories SET created_at = 1700000000000 WHERE id = '\(ids[2])';
                """)
            let server = try await ServeProcess.start(database: path)
            defer { server.stop() }
            let list = try await Self.http(server, "POST", "/v3/memories/", #"{"filters": {"user_id": "old"}}"#)
            #expect(list.status == 200)
            let created = list.json["results"]?.arrayValue?.compactMap { $0["created_at"]?.stringValue } ?? []
            #expect(created.count == 3)
            // Each reads back as the seconds stored.
            let seconds = Set(created.compactMap { MemoryTimestamp.parse($0)?.timeIntervalSince1970 })
            #expect(seconds == [-99_999_999_999_999, 1.5e18, 1_700_000_000_000], "\(created)")
            #expect(created.contains { $0.hasPrefix("+") && $0.hasSuffix("Z") })
            let updated = list.json["results"]?.arrayValue?.compactMap { $0["updated_at"]?.stringValue } ?? []
            #expect(updated.contains("1e+300"), "\(updated)")
            for id in ids {
                let got = try await Self.http(server, "GET", "/v1/memories/\(id)/", nil)
                #expect(got.status == 200, "\(got.json)")
            }
            let search = try await Self.http(
                server, "POST", "/v3/memories/search/", #"{"query": "one two three", "filters": {"user_id": "old"}}"#)
            #expect(search.status == 200)
            let entities = try await Self.http(server, "GET", "/v1/entities/", nil)
            #expect(entities.status == 200)
            #expect(server.isRunning)
        }
    }

    @Test func filterLimitsAreNamedAndNoSQLLeaks() async throws {
        try await ServerHarness.with { h in
            let branches = (0..<999).map { #"{"user_id": "u\#($0)"}"# }.joined(separator: ",")
            let wide = try await h.send(.post, "/v3/memories/", body: #"{"filters": {"OR": [\#(branches)]}}"#)
            #expect(wide.status == 400)
            #expect(wide.detail.contains("filters.OR") && wide.detail.contains("100"), "\(wide.detail)")
            var deep = #"{"user_id": "u"}"#
            for _ in 0..<40 { deep = #"{"AND": [\#(deep)]}"# }
            let nested = try await h.send(.post, "/v3/memories/", body: #"{"filters": \#(deep)}"#)
            #expect(nested.status == 400 && nested.detail.contains("16"), "\(nested.detail)")
            // 100 branches of 10 conditions each: within the limits, and SQLite takes it.
            let allowed = (0..<100).map { i in
                "{" + (0..<10).map { #""metadata": {"k\#($0)": "v\#(i)"}"# }.prefix(1).joined()
                    + #", "user_id": "u\#(i)"}"#
            }.joined(separator: ",")
            let ok = try await h.send(.post, "/v3/memories/", body: #"{"filters": {"OR": [\#(allowed)]}}"#)
            #expect(ok.status == 200, "\(ok.json)")
            for key in ["a\u{0}b", #"a"b"#, #"a\b"#, ""] {
                let body = JSONValue.object([
                    "filters": .object(["user_id": "u", "metadata": .object([key: "x"])])
                ])
                for method in [HTTPRequest.Method.post] {
                    let r = try await h.send(method, "/v3/memories/", body: body.jsonString())
                    #expect(r.status == 400, "\(key): \(r.json)")
                    #expect(r.detail.contains("metadata"))
                    #expect(!r.detail.contains("SELECT") && !r.detail.contains("json"), "\(r.detail)")
                }
                let delete = try await h.send(
                    .delete,
                    "/v1/memories/?user_id=u&metadata=" + (body["filters"]?["metadata"]?.jsonString() ?? "")
                        .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
                #expect(delete.status < 500, "\(delete.json)")
                #expect(!delete.detail.contains("INSERT"), "\(delete.detail)")
            }
        }
    }

    @Test func searchQueriesAndExportsAreBounded() async throws {
        try await ServerHarness.with { h in
            let long = String(repeating: "word ", count: 1000)
            let search = try await h.send(
                .post, "/v3/memories/search/",
                body: JSONValue.object(["query": .string(long), "filters": .object(["user_id": "u"])]).jsonString())
            #expect(search.status == 400 && search.detail.contains("query") && search.detail.contains("4096"))
            _ = try await h.add([String(repeating: "x", count: 100_000)], user: "u")
            var ids: [String] = []
            for _ in 0..<30 {
                let r = try await h.send(
                    .post, "/v1/exports/", body: #"{"schema": {"type": "object"}, "filters": {"user_id": "u"}}"#)
                #expect(r.status == 201)
                ids.append(r.json["id"]?.stringValue ?? "")
            }
            let oldest = try await h.send(.post, "/v1/exports/get/", body: #"{"memory_export_id": "\#(ids[0])"}"#)
            #expect(oldest.status == 404, "the oldest exports past the per-project bound are dropped")
            let newest = try await h.send(.post, "/v1/exports/get/", body: #"{"memory_export_id": "\#(ids[29])"}"#)
            #expect(newest.status == 200)
        }
    }

    @Test func oneKeyForTwoProjectsIsAConfigurationError() throws {
        #expect(throws: ServerConfigurationError.self) {
            try APIKey.checkDistinct([try APIKey(parsing: "k=a/b"), try APIKey(parsing: "k=c/d")])
        }
        try APIKey.checkDistinct([try APIKey(parsing: "k=a/b"), try APIKey(parsing: "k=a/b")])
        try APIKey.checkDistinct([try APIKey(parsing: "caf\u{E9}=a/b"), try APIKey(parsing: "cafe\u{301}=c/d")])
    }

    // MARK: Helpers

    /// Runs SQL through the sqlite3 shell.
    static func sqlite(_ path: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, sql]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    /// One request to a `memport serve` child over loopback.
    static func http(_ server: ServeProcess, _ method: String, _ path: String, _ body: String?) async throws -> (
        status: Int, json: JSONValue
    ) {
        var request = URLRequest(url: URL(string: server.baseURL + path)!)
        request.httpMethod = method
        request.setValue("Token \(server.apiKey)", forHTTPHeaderField: "Authorization")
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        return (status, (try? JSONValue.parse(data)) ?? .null)
    }
}
