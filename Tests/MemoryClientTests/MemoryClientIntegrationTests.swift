import Foundation
import Logging
import MemoryAPI
import TestSupport
import Testing

@testable import MemoryClient

/// MemoryClient against a real `memport serve` on loopback (TestSupport's `ServeProcess`).
@Suite(.serialized)
struct MemoryClientIntegrationTests {
    static let key = "m0-client-test-\(UUID().uuidString.prefix(8))"

    static func config(
        _ server: ServeProcess, version: APIVersion = .v3, key: String = key, logger: Logger? = nil,
        pacing: PacingPolicy? = nil
    ) throws -> MemoryClientConfiguration {
        try MemoryClientConfiguration(
            baseURL: server.baseURL, apiKey: key, apiVersion: version, timeout: 30,
            // 20 attempts: at a 30 % fault rate (plus 5 % lost answers) eight failures in a row
            // happen to one of 2,000 calls in about one run in eight; twenty essentially never.
            retry: RetryPolicy(maxAttempts: 20, baseDelay: 0.05, maxDelay: 1, maxTotalTime: 120), pacing: pacing,
            random: .seeded(42),
            logger: logger ?? Logger(label: "memport.client.test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    static func withServer<T: Sendable>(
        faultRate: Double = 0, seed: UInt64 = 1, project: String? = nil, _ body: (ServeProcess) async throws -> T
    ) async throws -> T {
        let server = try await ServeProcess.start(
            apiKeys: [project.map { "\(key)=\($0)" } ?? key],
            arguments: ["--fault-rate", String(faultRate), "--fault-seed", String(seed)])
        do {
            let value = try await body(server)
            server.stop()
            return value
        } catch {
            server.stop()
            throw error
        }
    }

    static func note(_ text: String, user: String, key: String? = nil) -> AddRequest {
        var metadata: [String: JSONValue]?
        if let key { metadata = ["memport_import_key": .string(key)] }
        return AddRequest(
            messages: [Message(role: .user, text: text)], scope: Scope(userID: user), metadata: metadata, infer: false)
    }

    // MARK: - Every endpoint

    @Test(arguments: APIVersion.allCases)
    func everyEndpointRoundTrips(version: APIVersion) async throws {
        try await Self.withServer { server in
            try await MemoryClient.withClient(try Self.config(server, version: version)) { c in
                let ping = try await c.ping()
                #expect(ping.status == nil || ping.status == "ok")

                // add, then read it back through get, every listing and every search.
                let user = "alice-\(version)"
                var ids: [String] = []
                for i in 0..<5 {
                    var r = Self.note("note \(i) about tea and \(version)", user: user, key: "k\(i)")
                    if version != .v3 { r.asyncMode = false }
                    let answer = try await c.add(r)
                    let jobs = try await c.waitForJobs(of: answer, pollInterval: 0.05, timeout: 30)
                    let items = answer.results + jobs.flatMap { $0.results ?? [] }
                    let id = try #require(items.compactMap(\.id).first, "no id in \(answer)")
                    ids.append(id)
                }
                let one = try await c.get(ids[0])
                #expect(one.memory == "note 0 about tea and \(version)")
                #expect(one.scope.userID == user)
                #expect(one.metadata?["memport_import_key"] == "k0")

                let page1 = try await c.getAll(GetAllRequest(scope: Scope(userID: user), page: 1, pageSize: 2))
                #expect(page1.results.count == 2)
                #expect(page1.count == 5)
                let all = try await c.getAll(GetAllRequest(filters: .userID(user)))
                #expect(Set(all.results.map(\.id)) == Set(ids))
                var paged: [String] = []
                for try await page in c.getAllPages(GetAllRequest(filters: .userID(user)), pageSize: 2) {
                    paged += page.results.map(\.id)
                }
                #expect(paged.count == 5 && Set(paged) == Set(ids))
                if version == .v1 {
                    let v1 = try await c.getAll(GetAllRequest(scope: Scope(userID: user)), version: .v1)
                    #expect(v1.results.count == 5)
                }
                let v3 = try await c.getAll(GetAllRequest(filters: .userID(user), page: 3, pageSize: 2), version: .v3)
                #expect(v3.results.count == 1 && v3.next == nil)

                let found = try await c.findByImportKey("k3", scope: Scope(userID: user))
                #expect(found.map(\.id) == [ids[3]])
                #expect(try await c.findByImportKey("nope", scope: Scope(userID: user)).isEmpty)

                for v in APIVersion.allCases {
                    var s = SearchRequest(query: "tea", scope: Scope(userID: user), topK: 10)
                    if v != .v1 { s.threshold = 0 }
                    let hits = try await c.search(s, version: v)
                    #expect(!hits.isEmpty, "search \(v)")
                }

                // update, history, batch update, batch delete, delete.
                let updated = try await c.update(ids[0], UpdateRequest(text: "note 0 about coffee"))
                #expect(updated.memory == "note 0 about coffee")
                let history = try await c.history(ids[0])
                #expect(history.map(\.event).contains(.update))
                _ = try await c.batchUpdate([
                    BatchUpdateItem(memoryID: ids[1], text: "batch one"),
                    BatchUpdateItem(memoryID: ids[2], text: "batch two"),
                ])
                #expect(try await c.get(ids[1]).memory == "batch one")
                _ = try await c.batchDelete([BatchDeleteItem(memoryID: ids[1])])
                await #expect {
                    _ = try await c.get(ids[1])
                } throws: { ($0 as? MemoryAPIError)?.code == .notFound }
                _ = try await c.delete(ids[2])
                #expect(try await c.getAll(GetAllRequest(filters: .userID(user))).results.count == 3)

                // entities, entity delete, delete_all, reset.
                _ = try await c.add(Self.note("bob's note", user: "bob"))
                let entities = try await c.entities()
                #expect(Set(entities.entities.map(\.name)).isSuperset(of: [user, "bob"]))
                _ = try await c.deleteEntity(.user, "bob")
                #expect(try await c.getAll(GetAllRequest(filters: .userID("bob"))).results.isEmpty)
                _ = try await c.deleteAll(Scope(userID: user))
                #expect(try await c.getAll(GetAllRequest(filters: .userID(user))).results.isEmpty)
                _ = try await c.add(Self.note("carol's note", user: "carol"))
                try await c.reset()
                #expect(try await c.entities().entities.isEmpty)

                // An unknown event and an unknown memory are typed errors.
                await #expect {
                    _ = try await c.event("00000000-0000-0000-0000-000000000000")
                } throws: { ($0 as? MemoryAPIError)?.code == .notFound }
            }
        }
    }

    // MARK: - Faults

    /// 2,000 mixed calls against a server that fails 30 % of requests (503, connections dropped
    /// before the request is handled), behind a proxy that loses 5 % of
    /// the answers after the server applied the request: every call completes, and no add is
    /// applied twice.
    ///
    /// The server stores an identical text in the same scope only once and answers a repeat
    /// with a NOOP event, so a repeated add shows up as a NOOP answer; the read-back checks that
    /// every text is stored exactly once.
    @Test func twoThousandMixedCallsUnderFaults() async throws {
        let logs = CapturingLogHandler.Store()
        let outcome = try await Self.withServer(faultRate: 0.3, seed: 2026) { server in
            let upstream = try #require(URL(string: server.baseURL)?.port)
            let proxy = try DroppingProxy(upstreamPort: UInt16(upstream), dropRate: 0.05, seed: 7)
            defer { proxy.stop() }
            // Faults are transient, not a shared quota: nothing here narrows the window.
            let pacing = PacingPolicy(
                requestsPerMinute: 0, maxConcurrency: 24, minConcurrency: 12, sharesRetryAfter: false)
            var config = try Self.config(server, logger: CapturingLogHandler.logger(logs), pacing: pacing)
            config.baseURL = proxy.baseURL
            return try await MemoryClient.withClient(config) { c in
                let users = (0..<4).map { "fault-user-\($0)" }
                let settled = Settled()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    let workers = 24
                    for w in 0..<workers {
                        group.addTask {
                            for n in stride(from: w, to: 2000, by: workers) {
                                try await Self.mixedCall(n, client: c, users: users, settled: settled)
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                // Read everything back: each add's text is there exactly once.
                let texts = await settled.texts
                #expect(texts.count == 1200)
                var stored: [String: Int] = [:]
                for user in users {
                    for try await page in c.getAllPages(GetAllRequest(filters: .userID(user)), pageSize: 200) {
                        for m in page.results { stored[m.memory, default: 0] += 1 }
                    }
                }
                for text in texts { #expect(stored[text] == 1, "\(text) stored \(stored[text] ?? 0) times") }
                #expect(stored.values.reduce(0, +) == texts.count)
                return (
                    c.statistics, await settled.resolvedByLookup, await settled.resent, await settled.repeats,
                    proxy.dropped
                )
            }
        }
        let (counts, resolved, resent, repeats, lost) = outcome
        #expect(repeats.isEmpty, "adds applied twice: \(repeats)")
        #expect(counts.retries > 100, "the faults were retried: \(counts)")
        #expect(counts.rateLimited == 0, "faults are not rate signals")
        #expect(lost > 0)
        #expect(counts.ambiguousFailures > 0, "dropped adds went back to the caller")
        #expect(resolved > 0, "answers lost after the add was applied were settled by import key")
        #expect(resent > 0, "adds dropped before the server handled them were sent again")
        #expect(resolved + resent == counts.ambiguousFailures)
        for line in logs.all { #expect(!line.contains(Self.key)) }
    }

    /// One call of the mixed load: adds (settled by import key when ambiguous) and reads.
    static func mixedCall(_ n: Int, client c: MemoryClient, users: [String], settled: Settled) async throws {
        let user = users[n % users.count]
        switch n % 5 {
        case 0, 1, 2:
            let text = "fact \(n) for \(user)"
            let key = "key-\(n)"
            try await addOnce(Self.note(text, user: user, key: key), key: key, client: c, settled: settled)
            await settled.added(text)
        case 3:
            _ = try await c.getAll(GetAllRequest(filters: .userID(user), page: 1, pageSize: 20))
        default:
            _ = try await c.search(SearchRequest(query: "fact", filters: .userID(user), topK: 5, threshold: 0))
        }
    }

    /// What an import ledger does with an add: send it; if the failure may have been applied,
    /// look the key up and send again only when it is not there.
    static func addOnce(_ request: AddRequest, key: String, client c: MemoryClient, settled: Settled) async throws {
        while true {
            do {
                let answer = try await c.add(request)
                if answer.results.contains(where: { $0.event == .noop }) { await settled.repeated(key) }
                return
            } catch let e as MemoryAPIError where e.mayHaveBeenApplied {
                let found = try await c.findByImportKey(key, scope: request.scope)
                if !found.isEmpty {
                    await settled.lookup()
                    return
                }
                await settled.resend()
            }
        }
    }

    actor Settled {
        var texts: [String] = []
        var resolvedByLookup = 0
        var resent = 0
        var repeats: [String] = []
        func added(_ text: String) { texts.append(text) }
        func repeated(_ key: String) { repeats.append(key) }
        func lookup() { resolvedByLookup += 1 }
        func resend() { resent += 1 }
    }

    // MARK: - Authentication and secrets

    @Test func wrongKeyFailsFastWithTheAuthError() async throws {
        let logs = CapturingLogHandler.Store()
        try await Self.withServer { server in
            let wrong = "m0-wrong-key-\(UUID().uuidString)"
            let config = try Self.config(server, key: wrong, logger: CapturingLogHandler.logger(logs))
            try await MemoryClient.withClient(config) { c in
                var descriptions: [String] = []
                for call in 0..<3 {
                    do {
                        switch call {
                        case 0: _ = try await c.ping()
                        case 1: _ = try await c.add(Self.note("x", user: "u"))
                        default: _ = try await c.getAll(GetAllRequest(filters: .userID("u")))
                        }
                        Issue.record("a wrong key was accepted")
                    } catch let e as MemoryAPIError {
                        #expect(e.code == .authentication)
                        #expect(e.status == 401)
                        #expect(e.detail?.contains("Invalid API key") == true)
                        #expect(!e.mayHaveBeenApplied)
                        descriptions += [
                            e.description, e.message, "\(e)", String(reflecting: e), e.localizedDescription,
                        ]
                    }
                }
                // No retries: one request per call.
                #expect(c.statistics.attempts == 3)
                #expect(c.statistics.retries == 0)
                for text in descriptions + logs.all + [String(describing: c.configuration)] {
                    #expect(!text.contains(wrong))
                    #expect(!text.contains(Self.key))
                }
            }
        }
    }

    /// org_id and project_id go in the query of v1/v2 reads and deletes (and the body of POSTs);
    /// the server checks the query against the key's project. v3 never sends them.
    @Test func orgAndProjectTravelAsTheContractSays() async throws {
        try await Self.withServer(project: "org-1/proj-1") { server in
            func client(_ version: APIVersion, org: String, project: String) throws -> MemoryClientConfiguration {
                var c = try Self.config(server, version: version)
                c.orgID = org
                c.projectID = project
                return c
            }
            try await MemoryClient.withClient(try client(.v1, org: "org-1", project: "proj-1")) { c in
                _ = try await c.ping()
                var r = Self.note("org note", user: "o")
                r.asyncMode = false
                let id = try #require(try await c.add(r).results.first?.id)
                #expect(try await c.get(id).memory == "org note")
                #expect(try await c.getAll(GetAllRequest(scope: Scope(userID: "o"))).results.count == 1)
            }
            try await MemoryClient.withClient(try client(.v2, org: "org-x", project: "proj-x")) { c in
                await #expect {
                    _ = try await c.getAll(GetAllRequest(scope: Scope(userID: "o")), version: .v1)
                } throws: { ($0 as? MemoryAPIError)?.status == 403 }
                #expect(c.statistics.retries == 0)
            }
            try await MemoryClient.withClient(try client(.v3, org: "org-x", project: "proj-x")) { c in
                let found = try await c.getAll(GetAllRequest(filters: .userID("o")))
                #expect(found.results.count == 1)
            }
        }
    }

    /// `https://` goes through TLS: against the plain-HTTP server the handshake fails, and the
    /// failure is a transport error that says the add was not applied (nothing left before TLS).
    @Test func httpsSpeaksTLS() async throws {
        try await Self.withServer { server in
            var config = try Self.config(server)
            config.baseURL = server.baseURL.replacingOccurrences(of: "http://", with: "https://")
            config.connectTimeout = 2
            config.retry = .never
            try await MemoryClient.withClient(config) { c in
                await #expect {
                    _ = try await c.add(Self.note("over tls", user: "t"))
                } throws: { e in
                    guard let e = e as? MemoryAPIError else { return false }
                    return (e.code == .connection || e.code == .timeout) && !e.mayHaveBeenApplied
                }
            }
            // Nothing arrived over the plain connection.
            try await MemoryClient.withClient(try Self.config(server)) { c in
                let stored = try await c.getAll(GetAllRequest(filters: .userID("t")))
                #expect(stored.results.isEmpty)
            }
        }
    }

    @Test func notFoundAndValidationAreTypedAndQuoteTheServer() async throws {
        try await Self.withServer { server in
            try await MemoryClient.withClient(try Self.config(server)) { c in
                await #expect {
                    _ = try await c.get("00000000-0000-0000-0000-000000000000")
                } throws: { e in
                    guard let e = e as? MemoryAPIError else { return false }
                    return e.code == .notFound && e.status == 404 && e.detail != nil
                }
                #expect(c.statistics.retries == 0)
            }
        }
    }
}
