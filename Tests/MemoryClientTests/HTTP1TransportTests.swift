import Foundation
import MemoryAPI
import NIOCore
import Testing

@testable import MemoryClient

/// memport's own HTTP/1.1 transport against a scripted loopback server: what goes on the wire,
/// keep-alive, and how each way of failing is classified (the may-have-been-applied rule).
struct HTTP1TransportTests {
    static let add = Endpoint(
        "add", .POST, path: "/v3/memories/add/", query: [("a", "b c")], body: Data(#"{"x":1}"#.utf8), effect: .write)
    static let get = Endpoint("get", .GET, path: "/v1/memories/m1/", effect: .read)

    static func ok(_ body: String = "{}", extra: String = "") -> String {
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\(extra)\r\n\(body)"
    }

    static func transport(
        _ base: String, timeout: Double = 10, maxResponseBytes: Int = 1 << 20
    ) throws -> HTTP1Transport {
        let loop = MemoryClient.eventLoop.executor.loop
        return try #require(
            HTTP1Transport(
                baseURL: base,
                settings: RequestSettings(
                    apiKey: APIKey("m0-wire-key"), timeout: timeout, maxResponseBytes: maxResponseBytes,
                    userAgent: "memport-test"),
                connectTimeout: 2, loop: loop))
    }

    static func withServer(
        _ script: [ScriptedHTTPServer.Action], _ body: (ScriptedHTTPServer) async throws -> Void
    ) async throws {
        let server = try await ScriptedHTTPServer(script: script)
        do {
            try await body(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func onlyPlainHTTPURLsGetThisTransport() {
        let loop = MemoryClient.eventLoop.executor.loop
        func make(_ url: String) -> HTTP1Transport? {
            HTTP1Transport(
                baseURL: url,
                settings: RequestSettings(apiKey: try! APIKey("k"), timeout: 1, maxResponseBytes: 1, userAgent: "t"),
                connectTimeout: 1, loop: loop)
        }
        #expect(make("https://api.mem0.ai") == nil)
        #expect(make("http://user:pw@h") == nil)
        #expect(make("http://h")?.hostHeader == "h")
        #expect(make("http://h:8080/p/q/")?.pathPrefix == "/p/q")
        #expect(make("http://[::1]:9/")?.hostHeader == "[::1]:9")
        // A header value with a control character is left to AsyncHTTPClient, which refuses it.
        let loopAgent = HTTP1Transport(
            baseURL: "http://h",
            settings: RequestSettings(
                apiKey: try! APIKey("k"), timeout: 1, maxResponseBytes: 1, userAgent: "a\r\nX: y"),
            connectTimeout: 1, loop: loop)
        #expect(loopAgent == nil)
    }

    /// One request is one request line under the base URL's path, the contract's headers, the
    /// key only in `Authorization`, and a body of the length it says.
    @Test func theRequestIsWhatTheContractSays() async throws {
        try await Self.withServer([.answer(Self.ok(#"{"id":"m1"}"#))]) { server in
            let transport = try Self.transport(server.url("/mem0/"))
            let reply = try await transport.send(Self.add)
            #expect(reply.status == 200)
            #expect(String(decoding: reply.body, as: UTF8.self) == #"{"id":"m1"}"#)
            #expect(reply.headers.first(name: "content-type") == "application/json")
            let request = try #require(server.requests.first)
            let lines = request.components(separatedBy: "\r\n")
            #expect(lines.first == "POST /mem0/v3/memories/add/?a=b%20c HTTP/1.1")
            let headers = Set(lines.dropFirst().map { $0.lowercased() })
            #expect(headers.contains("host: 127.0.0.1:\(server.port)"))
            #expect(headers.contains("authorization: token m0-wire-key"))
            #expect(headers.contains("content-type: application/json"))
            #expect(headers.contains("content-length: 7"))
            #expect(request.hasSuffix("\r\n\r\n{\"x\":1}"))
            #expect(request.components(separatedBy: "m0-wire-key").count == 2)
            try await transport.shutdown()
        }
    }

    /// Calls one after another share one connection; an answer that says `Connection: close`
    /// ends it, and the next call opens another. A chunked answer is read whole.
    @Test func keepAliveConnectionsAreReusedUntilTheServerClosesThem() async throws {
        let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{\"a\r\n4\r\n\":1}\r\n0\r\n\r\n"
        let closing = Self.ok(extra: "Connection: close\r\n")
        try await Self.withServer([
            .answer(Self.ok()), .answer(Self.ok()), .answer(closing), .answer(Self.ok()), .answer(chunked),
        ]) {
            server in
            let transport = try Self.transport(server.url())
            for _ in 0..<3 { _ = try await transport.send(Self.get) }
            #expect(server.connections == 1)
            _ = try await transport.send(Self.get)
            let last = try await transport.send(Self.get)
            #expect(String(decoding: last.body, as: UTF8.self) == #"{"a":1}"#)
            #expect(server.connections == 2)
            #expect(server.requests.count == 5)
            try await transport.shutdown()
        }
    }

    /// `100 Continue` before the answer is passed over.
    @Test func informationalAnswersArePassedOver() async throws {
        try await Self.withServer([.answer("HTTP/1.1 100 Continue\r\n\r\n" + Self.ok(#"{"ok":true}"#))]) { server in
            let transport = try Self.transport(server.url())
            let reply = try await transport.send(Self.add)
            #expect(reply.status == 200)
            #expect(String(decoding: reply.body, as: UTF8.self) == #"{"ok":true}"#)
            try await transport.shutdown()
        }
    }

    /// The server read the whole request and closed without answering: an add may have been
    /// applied; a read never changes anything.
    @Test func aConnectionClosedAfterTheRequestLeftMayHaveApplied() async throws {
        try await Self.withServer([.close]) { server in
            let transport = try Self.transport(server.url())
            await #expect {
                _ = try await transport.send(Self.add)
            } throws: { e in
                guard let e = e as? MemoryAPIError else { return false }
                return e.code == .connection && e.mayHaveBeenApplied && e.message.hasPrefix("POST /v3/memories/add/")
            }
            await #expect {
                _ = try await transport.send(Self.get)
            } throws: { ($0 as? MemoryAPIError).map { $0.code == .connection && !$0.mayHaveBeenApplied } ?? false }
            try await transport.shutdown()
        }
    }

    /// A server that never answers: the attempt times out at its deadline, and an add that left
    /// may have been applied.
    @Test func aSilentServerTimesOutAtTheDeadline() async throws {
        try await Self.withServer([.silent]) { server in
            let transport = try Self.transport(server.url(), timeout: 0.3)
            let started = ContinuousClock.now
            await #expect {
                _ = try await transport.send(Self.add)
            } throws: { ($0 as? MemoryAPIError).map { $0.code == .timeout && $0.mayHaveBeenApplied } ?? false }
            #expect(ContinuousClock.now - started < .seconds(5))
            try await transport.shutdown()
        }
    }

    /// An answer of several megabytes arrives in many reads and comes back whole, byte for byte.
    @Test func aLargeAnswerIsGatheredWhole() async throws {
        let text = (0..<200_000).map { String($0 % 97) }.joined(separator: ",")
        let big = "{\"results\":\"" + text + "\"}"
        try await Self.withServer([.answer(Self.ok(big))]) { server in
            let transport = try Self.transport(server.url(), maxResponseBytes: 8 << 20)
            let reply = try await transport.send(Self.get)
            #expect(reply.body.count == big.utf8.count)
            #expect(reply.body == Data(big.utf8))
            try await transport.shutdown()
        }
    }

    @Test func anAnswerLargerThanTheLimitIsRefused() async throws {
        let big = "{\"text\":\"" + String(repeating: "x", count: 5_000) + "\"}"
        try await Self.withServer([.answer(Self.ok(big))]) { server in
            let transport = try Self.transport(server.url(), maxResponseBytes: 1_000)
            await #expect {
                _ = try await transport.send(Self.get)
            } throws: { ($0 as? MemoryAPIError)?.code == .decoding }
            try await transport.shutdown()
        }
    }

    /// Cancelling the waiting task ends the request at once.
    @Test func cancellingTheTaskCancelsTheRequest() async throws {
        try await Self.withServer([.silent]) { server in
            let transport = try Self.transport(server.url(), timeout: 60)
            let task = Task { try await transport.send(Self.add) }
            while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            task.cancel()
            await #expect(throws: CancellationError.self) { _ = try await task.value }
            try await transport.shutdown()
        }
    }

    /// Nobody listens: the request never left, so even an add was not applied.
    @Test func aRefusedConnectionWasNeverSent() async throws {
        let server = try await ScriptedHTTPServer(script: [.silent])
        let url = server.url()
        await server.stop()
        let transport = try Self.transport(url)
        await #expect {
            _ = try await transport.send(Self.add)
        } throws: { ($0 as? MemoryAPIError).map { $0.code == .connection && !$0.mayHaveBeenApplied } ?? false }
        try await transport.shutdown()
    }
}
