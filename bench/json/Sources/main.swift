// Issue 17 item 4: the add path's JSON decoding, side by side in one process. For the bodies
// `memport serve` (the add request) and memport (its answer) decode per add, the CPU time per body
// through Foundation's JSONDecoder and through JSONValue.parse with JSONValueDecoder.
//
//   swift run -c release memport-bench-json [iterations]     (default 20,000)
import Foundation
import MemoryAPI

let iterations = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 20_000

func request(_ i: Int) -> AddRequest {
    let messages = (0..<5).map { m in
        Message(role: m % 2 == 0 ? .user : .assistant, text: "conversation \(i) message \(m): remember fact \(i)-\(m)")
    }
    return AddRequest(
        messages: messages, scope: Scope(userID: "bench"),
        metadata: ["memport_import_key": .string(String(repeating: "ab", count: 32))], infer: false)
}

func response(_ i: Int) -> AddResponse {
    let events = (0..<5).map { m in
        AddEvent(id: UUID().uuidString.lowercased(), memory: "conversation \(i) message \(m)", event: .add)
    }
    return AddResponse(
        shape: .envelope, results: events, eventID: UUID().uuidString.lowercased(), status: "SUCCEEDED",
        message: "Memories stored successfully")
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
        + Double(usage.ru_stime.tv_usec) / 1e6
}

func measure(_ label: String, _ body: (Int) throws -> Void) rethrows -> Double {
    let start = cpuSeconds()
    for i in 0..<iterations { try body(i) }
    let perCall = (cpuSeconds() - start) / Double(iterations) * 1e6
    print("  \(label): \(String(format: "%.1f", perCall)) µs CPU per body")
    return perCall
}

let requests = (0..<iterations).map(request)
let responses = (0..<iterations).map(response)
let foundationEncoder = JSONEncoder()
foundationEncoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
let requestBodies = try requests.map { try foundationEncoder.encode($0) }
let responseBodies = try responses.map { try foundationEncoder.encode($0) }
let answerEncoder = JSONEncoder()
answerEncoder.outputFormatting = [.withoutEscapingSlashes]
var sink = 0

print(
    "\(iterations) bodies of a 5-message add (\(requestBodies[0].count) bytes) and its answer (\(responseBodies[0].count) bytes)"
)
for (name, foundation, ours) in [
    (
        "decode the request (serve)",
        { (i: Int) throws in sink &+= try JSONDecoder().decode(AddRequest.self, from: requestBodies[i]).messages.count
        },
        { (i: Int) throws in
            sink &+= try JSONValueDecoder().decode(AddRequest.self, from: requestBodies[i]).messages.count
        }
    ),
    (
        "decode the answer (memport)",
        { (i: Int) throws in sink &+= try JSONDecoder().decode(AddResponse.self, from: responseBodies[i]).results.count
        },
        { (i: Int) throws in
            sink &+= try JSONValueDecoder().decode(AddResponse.self, from: responseBodies[i]).results.count
        }
    ),
    (
        "decode the answer, read from the tree (memport)",
        { (i: Int) throws in sink &+= try JSONDecoder().decode(AddResponse.self, from: responseBodies[i]).results.count
        },
        { (i: Int) throws in sink &+= try AddResponse.decode(json: responseBodies[i]).results.count }
    ),
    (
        "encode the request (memport)",
        { (i: Int) throws in sink &+= try foundationEncoder.encode(requests[i]).count },
        { (i: Int) throws in sink &+= requests[i].jsonString().utf8.count }
    ),
    (
        "encode the answer (serve)",
        { (i: Int) throws in sink &+= try answerEncoder.encode(responses[i]).count },
        { (i: Int) throws in sink &+= responses[i].jsonString().utf8.count }
    ),
] {
    print(name)
    let a = try measure("Foundation", foundation)
    let b = try measure("ours      ", ours)
    print("  ratio: \(String(format: "%.2f", a / b))x")
}
if sink == 42 { print(sink) }
