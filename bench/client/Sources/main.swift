// memport-bench-client: calls per second of MemoryClient against a running `memport serve`,
// at several concurrency levels, beside the ideal (concurrency / latency), and the client's
// own CPU time per call.
//
//   memport-bench-client --url http://127.0.0.1:PORT --key KEY [--latency-ms 20]
//                        [--calls-per-worker 250] [--concurrency 1,8,32] [--call get|add]
//
// Each level runs concurrency × calls-per-worker calls, so every level takes about the same time.

import Foundation
import MemoryAPI
import MemoryClient

struct Options {
    var url = ""
    var key = ""
    var latencyMS = 20.0
    var callsPerWorker = 250
    var concurrency = [1, 8, 32]
    var call = "get"

    init(_ args: [String]) throws {
        var it = args.dropFirst().makeIterator()
        while let a = it.next() {
            guard let v = it.next() else { throw BenchError("missing value for \(a)") }
            switch a {
            case "--url": url = v
            case "--key": key = v
            case "--latency-ms": latencyMS = Double(v) ?? latencyMS
            case "--calls-per-worker": callsPerWorker = Int(v) ?? callsPerWorker
            case "--concurrency": concurrency = v.split(separator: ",").compactMap { Int($0) }
            case "--call": call = v
            default: throw BenchError("unknown option \(a)")
            }
        }
        if url.isEmpty || key.isEmpty { throw BenchError("--url and --key are required") }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

func cpuSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
        getrusage(RUSAGE_SELF, &usage)
    #endif
    func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return s(usage.ru_utime) + s(usage.ru_stime)
}

/// Runs `calls` calls with `concurrency` workers and returns (wall seconds, cpu seconds).
func run(_ client: MemoryClient, calls: Int, concurrency: Int, call: String, memoryID: String) async throws -> (
    Double, Double
) {
    let counter = Counter(calls)
    let cpu0 = cpuSeconds()
    let start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for w in 0..<concurrency {
            group.addTask {
                while let n = await counter.take() {
                    switch call {
                    case "add":
                        _ = try await client.add(
                            AddRequest(
                                messages: [Message(role: .user, text: "bench \(w) \(n) \(UUID().uuidString)")],
                                scope: Scope(userID: "bench"), infer: false))
                    default:
                        _ = try await client.get(memoryID)
                    }
                }
            }
        }
        try await group.waitForAll()
    }
    let d = ContinuousClock.now - start
    let wall = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    return (wall, cpuSeconds() - cpu0)
}

actor Counter {
    var left: Int
    init(_ n: Int) { left = n }
    func take() -> Int? {
        guard left > 0 else { return nil }
        left -= 1
        return left
    }
}

let options = try Options(CommandLine.arguments)
let maxC = options.concurrency.max() ?? 1
let config = try MemoryClientConfiguration(
    baseURL: options.url, apiKey: options.key, apiVersion: .v3, retry: .never,
    pacing: PacingPolicy(requestsPerMinute: 0, maxConcurrency: maxC))
try await MemoryClient.withClient(config) { client in
    let seeded = try await client.add(
        AddRequest(
            messages: [Message(role: .user, text: "bench seed \(UUID())")], scope: Scope(userID: "bench"), infer: false)
    )
    guard let id = seeded.results.first?.id else { throw BenchError("the seed add returned no id: \(seeded)") }
    // Warm the connection pool.
    _ = try await run(client, calls: maxC * 4, concurrency: maxC, call: options.call, memoryID: id)
    print("| call | concurrency | calls | calls/s | ideal calls/s | of ideal | client CPU µs/call |")
    print("|---|---|---|---|---|---|---|")
    for c in options.concurrency {
        let calls = c * options.callsPerWorker
        let (wall, cpu) = try await run(client, calls: calls, concurrency: c, call: options.call, memoryID: id)
        let rate = Double(calls) / wall
        let ideal = options.latencyMS > 0 ? Double(c) / (options.latencyMS / 1000) : .infinity
        let ofIdeal = ideal.isFinite ? String(format: "%.0f %%", rate / ideal * 100) : "-"
        let idealText = ideal.isFinite ? String(format: "%.0f", ideal) : "-"
        let perCall = String(format: "%.0f", cpu / Double(calls) * 1e6)
        print(
            "| \(options.call) | \(c) | \(calls) | \(String(format: "%.0f", rate)) | \(idealText) | \(ofIdeal) | \(perCall) |"
        )
    }
}
