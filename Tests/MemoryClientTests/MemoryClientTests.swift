import Foundation
import MemoryAPI
import Testing

@testable import MemoryClient

/// How each call is put on the wire, per API generation; nothing here touches the network
/// except the checks that a refused request is refused before sending (the base URL is a
/// closed port, so a request that left would fail with `connection` instead).
struct MemoryClientTests {
    static func withClient(
        _ version: APIVersion, org: Bool = false, _ body: (MemoryClient) async throws -> Void
    ) async throws {
        let config = try MemoryClientConfiguration(
            baseURL: "http://127.0.0.1:9/prefix", apiKey: "m0-test", apiVersion: version, orgID: org ? "o1" : nil,
            projectID: org ? "p1" : nil, connectTimeout: 0.5, retry: .never)
        let client = MemoryClient(configuration: config)
        do {
            try await body(client)
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    static func body(_ e: Endpoint) throws -> JSONValue { try JSONValue.parse(e.body ?? Data("null".utf8)) }
    static func query(_ e: Endpoint) -> [String] { e.query.map { "\($0.name)=\($0.value)" } }

    static let add = AddRequest(messages: [Message(role: .user, text: "hi")], scope: Scope(userID: "u"), infer: false)

    @Test(arguments: [(APIVersion.v1, "/v1/memories/"), (.v2, "/v1/memories/"), (.v3, "/v3/memories/add/")])
    func addPaths(version: APIVersion, path: String) async throws {
        try await Self.withClient(version, org: true) { c in
            let e = try c.addEndpoint(Self.add, version: nil)
            #expect(e.method == .POST && e.path == path && e.effect == .write)
            let body = try Self.body(e)
            #expect(body["user_id"] == "u" && body["infer"] == false)
            #expect(body["messages"]?.arrayValue?.count == 1)
            // org and project travel in the body on v1/v2 only.
            #expect((body["org_id"] == "o1") == (version != .v3))
            #expect(body["project_id"] == (version == .v3 ? nil : "p1"))
            #expect(e.url(base: c.configuration.baseURL).hasPrefix("http://127.0.0.1:9/prefix/v"))
        }
    }

    @Test func addWithoutScopeOrMessagesIsRefused() async throws {
        try await Self.withClient(.v3) { c in
            var r = Self.add
            r.scope = Scope()
            #expect(throws: MemoryAPIError.self) { try c.addEndpoint(r, version: nil) }
            r = Self.add
            r.messages = []
            #expect(throws: MemoryAPIError.self) { try c.addEndpoint(r, version: nil) }
        }
    }

    @Test func getAllV1PutsEverythingInTheQuery() async throws {
        try await Self.withClient(.v1, org: true) { c in
            let r = GetAllRequest(scope: Scope(userID: "alice"), page: 2, pageSize: 50, categories: ["a", "b"])
            let e = try c.getAllEndpoint(r, version: nil)
            #expect(e.method == .GET && e.path == "/v1/memories/" && e.body == nil)
            #expect(
                Self.query(e) == [
                    "user_id=alice", "page=2", "page_size=50", "categories=a", "categories=b", "org_id=o1",
                    "project_id=p1",
                ])
            #expect(throws: MemoryAPIError.self) { try c.getAllEndpoint(GetAllRequest(), version: .v1) }
        }
    }

    @Test func v1FamilyListsWithAFilterOnV2() async throws {
        try await Self.withClient(.v1) { c in
            let e = try c.getAllEndpoint(GetAllRequest(filters: .userID("u")), version: nil)
            #expect(e.path == "/v2/memories/")
        }
    }

    @Test func getAllV2PagePlacement() async throws {
        try await Self.withClient(.v2, org: true) { c in
            let both = try c.getAllEndpoint(GetAllRequest(filters: .userID("u"), page: 3, pageSize: 20), version: nil)
            #expect(both.method == .POST && both.path == "/v2/memories/")
            #expect(Self.query(both) == ["page=3", "page_size=20"])
            let b = try Self.body(both)
            #expect(b["page"] == nil && b["page_size"] == nil && b["org_id"] == "o1")
            #expect(b["filters"] == ["user_id": "u"])
            let one = try c.getAllEndpoint(GetAllRequest(filters: .userID("u"), page: 3), version: nil)
            #expect(one.query.isEmpty)
            #expect(try Self.body(one)["page"] == 3)
            // Entity ids without a filter become the filter.
            let scoped = try c.getAllEndpoint(GetAllRequest(scope: Scope(agentID: "bot")), version: nil)
            #expect(try Self.body(scoped)["filters"] == ["agent_id": "bot"])
            #expect(try Self.body(scoped)["agent_id"] == nil)
        }
    }

    @Test func getAllV3PutsEachPageNumberInTheQuery() async throws {
        try await Self.withClient(.v3, org: true) { c in
            let e = try c.getAllEndpoint(GetAllRequest(filters: .userID("u"), pageSize: 200), version: nil)
            #expect(e.path == "/v3/memories/" && Self.query(e) == ["page_size=200"])
            let b = try Self.body(e)
            #expect(b["page_size"] == nil && b["org_id"] == nil && b["project_id"] == nil)
            // v3 wants a positive entity id and no top-level ids beside a filter.
            let noEntity = try MemoryFilter.parse(["created_at": ["gte": "2024-01-01"]])
            #expect(throws: MemoryAPIError.self) {
                try c.getAllEndpoint(GetAllRequest(filters: noEntity), version: nil)
            }
            #expect(throws: MemoryAPIError.self) {
                try c.getAllEndpoint(GetAllRequest(filters: .userID("u"), scope: Scope(userID: "u")), version: nil)
            }
        }
    }

    @Test(arguments: [
        (APIVersion.v1, "/v1/memories/search/"), (.v2, "/v2/memories/search/"), (.v3, "/v3/memories/search/"),
    ])
    func searchPaths(version: APIVersion, path: String) async throws {
        try await Self.withClient(version, org: true) { c in
            let e = try c.searchEndpoint(SearchRequest(query: "  food  ", scope: Scope(userID: "u")), version: nil)
            #expect(e.path == path && e.method == .POST && e.effect == .read)
            let b = try Self.body(e)
            if version == .v1 {
                #expect(b["user_id"] == "u" && b["filters"] == nil && b["org_id"] == "o1")
            } else {
                #expect(b["user_id"] == nil && b["filters"] == ["user_id": "u"])
            }
            #expect(b["query"] == (version == .v3 ? "food" : "  food  "))
        }
    }

    @Test func emptyV3SearchIsRefused() async throws {
        try await Self.withClient(.v3) { c in
            #expect(throws: MemoryAPIError.self) {
                try c.searchEndpoint(SearchRequest(query: "  ", filters: .userID("u")), version: nil)
            }
        }
    }

    @Test func orgAndProjectGoInTheQueryOfOtherCalls() async throws {
        try await Self.withClient(.v1, org: true) { c in
            #expect(c.orgQuery().map(\.value) == ["o1", "p1"])
            #expect(c.orgQuery(.v3).isEmpty)
        }
        try await Self.withClient(.v3, org: true) { c in #expect(c.orgQuery().isEmpty) }
    }

    @Test func refusedBeforeSending() async throws {
        try await Self.withClient(.v3) { c in
            let tooMany = (0...1000).map { BatchUpdateItem(memoryID: "m\($0)", text: "t") }
            await #expect {
                _ = try await c.batchUpdate(tooMany)
            } throws: { ($0 as? MemoryAPIError)?.code == .validation }
            await #expect {
                _ = try await c.batchDelete((0...1000).map { BatchDeleteItem(memoryID: "m\($0)") })
            } throws: { ($0 as? MemoryAPIError)?.code == .validation }
            await #expect {
                _ = try await c.batchDelete([])
            } throws: { ($0 as? MemoryAPIError)?.code == .validation }
            await #expect {
                _ = try await c.deleteAll(Scope())
            } throws: { ($0 as? MemoryAPIError)?.code == .validation }
            await #expect {
                _ = try await c.update("m", UpdateRequest())
            } throws: { ($0 as? MemoryAPIError)?.code == .validation }
            #expect(c.statistics.attempts == 0)
            // A request that does leave hits the closed port: a connection error, not applied.
            await #expect {
                _ = try await c.add(Self.add)
            } throws: { e in
                guard let e = e as? MemoryAPIError else { return false }
                return e.code == .connection && !e.mayHaveBeenApplied && !"\(e)".contains("m0-test")
            }
        }
    }

    @Test func errorAnswersBecomeTypedErrors() throws {
        let add = Endpoint("add", .POST, path: "/v3/memories/add/", body: Data("{}".utf8), effect: .write)
        func reply(_ status: Int, _ body: String, headers: [(String, String)] = []) -> HTTPReply {
            HTTPReply(status: status, headers: .init(headers), body: Data(body.utf8))
        }
        let now = Date(timeIntervalSince1970: 1_445_412_480)
        let e429 = MemoryClient.error(
            for: reply(
                429, #"{"detail":"Request was throttled."}"#,
                headers: [("Retry-After", "Wed, 21 Oct 2015 07:28:09 GMT")]),
            endpoint: add, now: now)
        #expect(e429.code == .rateLimited && e429.retryAfter == 9 && !e429.mayHaveBeenApplied)
        #expect(e429.detail == "Request was throttled.")
        let e500 = MemoryClient.error(for: reply(500, "oops"), endpoint: add, now: now)
        #expect(e500.code == .server && e500.mayHaveBeenApplied && e500.detail == "oops")
        let e503 = MemoryClient.error(for: reply(503, "", headers: [("Retry-After", "2")]), endpoint: add, now: now)
        #expect(e503.code == .unavailable && !e503.mayHaveBeenApplied && e503.retryAfter == 2)
        let e404 = MemoryClient.error(for: reply(404, #"{"error":"Memory not found!"}"#), endpoint: add, now: now)
        #expect(e404.code == .notFound && e404.detail == "Memory not found!")
        #expect(e404.message.hasPrefix("POST /v3/memories/add/"))
    }

    @Test func unreadableAnswersAreDecodingErrorsQuotingTheBody() {
        let get = Endpoint("get_all", .POST, path: "/v3/memories/", effect: .read)
        let body = #"{"memories": [1, 2, 3]}"# + String(repeating: "x", count: 1000)
        do {
            _ = try JSONDecoder().decode(Page<Memory>.self, from: Data(body.utf8))
            Issue.record("expected the shape to be refused")
        } catch {
            let e = MemoryClient.decodingError(
                error, reply: HTTPReply(status: 200, headers: [:], body: Data(body.utf8)), endpoint: get)
            #expect(e.code == .decoding && e.status == 200 && !e.mayHaveBeenApplied)
            #expect(e.message.contains(#"{"memories": [1, 2, 3]}"#))
            #expect(e.message.count < 700)
        }
    }
}
