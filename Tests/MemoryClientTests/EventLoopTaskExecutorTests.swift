import AsyncHTTPClient
import Foundation
import Logging
import MemoryAPI
import NIOCore
import TestSupport
import Testing

@testable import MemoryClient

/// The client's event loop as a task executor: tasks that prefer it run on the loop, also after
/// they were suspended on a call, and calls made from the loop complete.
struct EventLoopTaskExecutorTests {
    static let loop = MemoryClient.eventLoop.group.next()

    static func client(baseURL: String = "http://127.0.0.1:9", key: String = "k") throws -> MemoryClient {
        MemoryClient(
            configuration: try MemoryClientConfiguration(
                baseURL: baseURL, apiKey: key, timeout: 30,
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })))
    }

    @Test func aTaskPreferringItRunsOnTheClientsLoop() async throws {
        let client = try Self.client()
        let executor = try #require(client.taskExecutor)
        let places = await withTaskExecutorPreference(executor) {
            let before = Self.loop.inEventLoop
            await Task.yield()
            try? await Task.sleep(for: .milliseconds(5))
            return (before, Self.loop.inEventLoop)
        }
        #expect(places == (true, true))
        #expect(!Self.loop.inEventLoop)
        try await client.shutdown()
    }

    @Test func aClientOverAGivenHTTPClientNamesNone() async throws {
        let http = HTTPClient(eventLoopGroup: MemoryClient.eventLoop.group)
        let client = MemoryClient(
            configuration: try MemoryClientConfiguration(baseURL: "http://127.0.0.1:9", apiKey: "k"), httpClient: http)
        #expect(client.taskExecutor == nil)
        try await http.shutdown()
    }

    @Test func callsFromTheLoopCompleteAndResumeOnIt() async throws {
        let key = "m0-loop-\(UUID().uuidString.prefix(8))"
        let server = try await ServeProcess.start(apiKeys: [key])
        defer { server.stop() }
        let client = try Self.client(baseURL: server.baseURL, key: key)
        let executor = try #require(client.taskExecutor)
        let results = try await withTaskExecutorPreference(executor) {
            try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                for i in 0..<64 {
                    group.addTask {
                        let request = AddRequest(
                            messages: [Message(role: .user, text: "loop fact \(i)")], scope: Scope(userID: "loop"),
                            infer: false)
                        let answer = try await client.add(request)
                        return (answer.results.count, Self.loop.inEventLoop)
                    }
                }
                return try await group.reduce(into: [(Int, Bool)]()) { $0.append($1) }
            }
        }
        #expect(results.count == 64)
        #expect(results.allSatisfy { $0 == (1, true) })
        try await client.shutdown()
    }
}
