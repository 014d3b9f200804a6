import AsyncHTTPClient
import Foundation
import MemoryAPI
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

@testable import MemoryClient

struct TransportTests {
    static let add = Endpoint("add", .POST, path: "/v3/memories/add/", body: Data("{}".utf8), effect: .write)
    static let del = Endpoint("delete", .DELETE, path: "/v1/memories/x/", effect: .idempotentWrite)
    static let get = Endpoint("get", .GET, path: "/v1/memories/x/", effect: .read)

    struct Case: Sendable, CustomTestStringConvertible {
        var error: any Error & Sendable
        var endpoint: Endpoint
        var stage: BodyProgress.Stage
        var code: MemoryAPIError.Code
        var applied: Bool
        var testDescription: String { "\(error) \(endpoint.name) \(stage)" }
    }

    static let cases: [Case] = [
        // Nothing left before the connection existed: never applied.
        .init(error: HTTPClientError.connectTimeout, endpoint: add, stage: .notStarted, code: .timeout, applied: false),
        .init(
            error: HTTPClientError.getConnectionFromPoolTimeout, endpoint: del, stage: .notStarted, code: .timeout,
            applied: false),
        .init(
            error: ChannelError.connectTimeout(.seconds(1)), endpoint: add, stage: .notStarted, code: .timeout,
            applied: false),
        .init(
            error: IOError(errnoCode: ECONNREFUSED, reason: "connect"), endpoint: add, stage: .notStarted,
            code: .connection, applied: false),
        // The body never left: not applied, whatever broke.
        .init(
            error: HTTPClientError.remoteConnectionClosed, endpoint: add, stage: .notStarted, code: .connection,
            applied: false),
        // The body was handed over: ambiguous.
        .init(
            error: HTTPClientError.remoteConnectionClosed, endpoint: add, stage: .started, code: .connection,
            applied: true),
        .init(error: HTTPClientError.readTimeout, endpoint: add, stage: .finished, code: .timeout, applied: true),
        .init(error: HTTPClientError.deadlineExceeded, endpoint: add, stage: .finished, code: .timeout, applied: true),
        // No body to watch on a DELETE: any failure after connecting may have been applied.
        .init(
            error: HTTPClientError.remoteConnectionClosed, endpoint: del, stage: .notStarted, code: .connection,
            applied: true),
        // A read never changes anything.
        .init(error: HTTPClientError.readTimeout, endpoint: get, stage: .notStarted, code: .timeout, applied: false),
    ]

    @Test(arguments: cases)
    func classifiesTransportFailures(_ c: Case) {
        let e = TransportFailure.classify(c.error, endpoint: c.endpoint, bodyStage: c.stage)
        #expect(e.code == c.code)
        #expect(e.mayHaveBeenApplied == c.applied)
        #expect(e.status == nil)
        #expect(e.message.hasPrefix(c.endpoint.label))
    }

    /// The body is marked started only when AsyncHTTPClient asks for it after the head went
    /// out, and finished once written: never for a connection that was refused, both for a
    /// request the server answered.
    @Test func trackedBodyIsMarkedWhenItGoesOut() async throws {
        let key = "m0-transport-test"
        let server = try await ServeProcess.start(apiKeys: [key])
        defer { server.stop() }
        let body = ByteBuffer(string: #"{"messages":[{"role":"user","content":"hello"}],"user_id":"u","infer":false}"#)
        // No silent reconnects to the refused port below (HTTPClient.shared retries until its
        // connect timeout, a minute and a half).
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        defer { _ = http.shutdown() }

        func send(to base: String) async throws -> (BodyProgress.Stage, Int?) {
            let progress = BodyProgress()
            var headers = HTTPHeaders()
            headers.add(name: "Authorization", value: "Token \(key)")
            headers.add(name: "Content-Type", value: "application/json")
            let request = try HTTPClient.Request(
                url: base + "/v3/memories/add/", method: .POST, headers: headers,
                body: AsyncHTTPClientTransport.trackedBody(body, progress: progress))
            #expect(progress.stage == .notStarted)
            do {
                let response = try await http.execute(request: request).get()
                return (progress.stage, Int(response.status.code))
            } catch {
                return (progress.stage, nil)
            }
        }

        let (sent, status) = try await send(to: server.baseURL)
        #expect(status == 200)
        #expect(sent == .finished)

        // A port nobody listens on: the connection is refused before anything is written.
        let closedPort = try await ServeProcess.start(apiKeys: [key])
        let refusedURL = closedPort.baseURL
        closedPort.stop()
        let (refused, noStatus) = try await send(to: refusedURL)
        #expect(noStatus == nil)
        #expect(refused == .notStarted)
    }
}
