import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

#if canImport(Glibc)
    import Glibc
#endif

/// The built `memport serve` binary, end to end: base URL on stdout, auth, injected faults,
/// latency, and a clean exit on SIGTERM and SIGINT.
@Suite(.serialized) struct ServeProcessTests {
    func request(_ url: String, key: String?, method: String = "GET", body: String? = nil) async -> (Int, Data)? {
        var r = URLRequest(url: URL(string: url)!)
        r.httpMethod = method
        if let key { r.setValue("Token \(key)", forHTTPHeaderField: "Authorization") }
        if let body {
            r.httpBody = Data(body.utf8)
            r.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        guard let (data, response) = try? await URLSession.shared.data(for: r), let http = response as? HTTPURLResponse
        else { return nil }
        return (http.statusCode, data)
    }

    @Test func servesAndStopsCleanly() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let server = try await ServeProcess.start(database: dir.path("keep.db"), apiKeys: ["k1", "k2=acme/prod"])
        #expect(server.baseURL.hasPrefix("http://127.0.0.1:"))
        let ping = await request(server.baseURL + "/v1/ping/", key: "k2")
        #expect(ping?.0 == 200)
        let text = String(decoding: ping?.1 ?? Data(), as: UTF8.self)
        #expect(text.contains("\"acme\""))
        #expect(await request(server.baseURL + "/v1/ping/", key: "bad")?.0 == 401)
        let added = await request(
            server.baseURL + "/v3/memories/add/", key: "k1", method: "POST",
            body: #"{"messages": "kept", "user_id": "u", "infer": false}"#)
        #expect(added?.0 == 200)
        #expect(server.stop(signal: SIGTERM) == 0)
        // The memories survive a restart on the same file.
        let again = try await ServeProcess.start(database: dir.path("keep.db"), apiKeys: ["k1"])
        let listed = await request(again.baseURL + "/v1/memories/?user_id=u", key: "k1")
        let listedText = String(decoding: listed?.1 ?? Data(), as: UTF8.self)
        #expect(listedText.contains("kept"))
        #expect(again.stop(signal: SIGINT) == 0)
    }

    @Test func injectsFaultsBeforeTheStore() async throws {
        let server = try await ServeProcess.start(arguments: ["--fault-rate", "0.5", "--fault-seed", "3"])
        defer { server.stop() }
        var statuses: [Int: Int] = [:]
        var dropped = 0
        for i in 0..<60 {
            let body = #"{"messages": "m\#(i)", "user_id": "u", "infer": false}"#
            if let (status, _) = await request(
                server.baseURL + "/v3/memories/add/", key: server.apiKey, method: "POST", body: body)
            {
                statuses[status, default: 0] += 1
            } else {
                dropped += 1
            }
        }
        #expect(statuses[429] == nil && (statuses[503] ?? 0) > 0 && dropped > 0)
        #expect((statuses[200] ?? 0) > 10)
        // Only the requests that were served reached the store.
        let listed = await request(
            server.baseURL + "/v3/memories/?page_size=200", key: server.apiKey, method: "POST",
            body: #"{"filters": {"user_id": "u"}}"#)
        if let (status, data) = listed, status == 200 {
            let count = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["count"] as? Int
            #expect(count == statuses[200])
        }
    }

    @Test func latencyDelaysEveryAnswer() async throws {
        let server = try await ServeProcess.start(arguments: ["--latency-ms", "300"])
        defer { server.stop() }
        let start = Date()
        #expect(await request(server.baseURL + "/v1/ping/", key: server.apiKey)?.0 == 200)
        #expect(Date().timeIntervalSince(start) >= 0.3)
    }
}
