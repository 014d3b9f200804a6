import Foundation
import Hummingbird
import HummingbirdTesting
import MemoryAPI
import MemoryServer
import MemoryStore
import TestSupport

/// Drives a ``MemoryServer`` in memory (Hummingbird's router test framework) with JSON in and out.
struct ServerHarness {
    let client: any TestClientProtocol
    var key = "test-key"

    /// Runs `body` against a fresh server on a fresh database.
    static func with(
        maxBodyBytes: Int = ServerConfiguration.defaultMaxBodyBytes, setup: TestingSetup = .router,
        _ body: @Sendable (ServerHarness) async throws -> Void
    ) async throws {
        try await TemporaryDirectory.with { dir in
            let store = try MemoryStore(path: dir.path("server.db"))
            let server = MemoryServer(
                store: store,
                configuration: ServerConfiguration(
                    keys: [APIKey(secret: "test-key"), try APIKey(parsing: "other-key=org-b/proj-b")],
                    maxBodyBytes: maxBodyBytes))
            try await server.application().test(setup) { client in
                try await body(ServerHarness(client: client))
            }
        }
    }

    /// A response: its status and its body parsed as JSON (every answer must be JSON).
    struct Reply {
        var status: Int
        var json: JSONValue
        var headers: HTTPFields
        /// The `detail` of an error body.
        var detail: String { json["detail"]?.stringValue ?? "" }
    }

    @discardableResult
    func send(_ method: HTTPRequest.Method, _ uri: String, body: String? = nil, key: String? = "default")
        async throws -> Reply
    {
        var headers = HTTPFields()
        if let key { headers[.authorization] = "Token " + (key == "default" ? self.key : key) }
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }
        ) { response in
            let data = Data(response.body.readableBytesView)
            let json = try JSONValue.parse(data)
            return Reply(status: Int(response.status.code), json: json, headers: response.headers)
        }
    }

    /// Adds user messages and returns their ids.
    func add(_ texts: [String], user: String) async throws -> [String] {
        let messages = texts.map { JSONValue.object(["role": "user", "content": .string($0)]) }
        let body = JSONValue.object([
            "messages": .array(messages), "user_id": .string(user), "infer": false,
        ])
        let r = try await send(.post, "/v3/memories/add/", body: body.jsonString())
        return r.json["results"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
    }
}

extension JSONValue {
    /// An element of an array value.
    subscript(index: Int) -> JSONValue? {
        guard let a = arrayValue, a.indices.contains(index) else { return nil }
        return a[index]
    }
}
