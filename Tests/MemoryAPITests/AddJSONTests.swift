import Foundation
import Testing

@testable import MemoryAPI

/// `AddRequest.jsonString()` and `AddResponse.jsonString()` write what `JSONEncoder` writes from
/// their `Codable` conformances (the request byte for byte, sorted keys; the answer value for
/// value), and `AddResponse.decode(json:)` reads what `Decodable` reads, errors included.
@Suite struct AddJSONTests {
    typealias G = JSONValueWritingTests.Generator

    static func maybe<T>(_ g: inout G, _ make: (inout G) -> T) -> T? {
        Bool.random(using: &g) ? make(&g) : nil
    }

    static func text(_ g: inout G) -> String { JSONValueWritingTests.text(&g) }

    static func message(_ g: inout G) -> Message {
        let content: MessageContent =
            Int.random(in: 0..<4, using: &g) == 0
            ? .parts([.text(text(&g)), ContentPart(json: ["type": "image_url", "image_url": .string(text(&g))])])
            : .text(text(&g))
        return Message(role: MessageRole(rawValue: text(&g)), content: content, name: maybe(&g, text))
    }

    static func request(_ g: inout G) -> AddRequest {
        var r = AddRequest(
            messages: (0..<Int.random(in: 0...4, using: &g)).map { _ in message(&g) },
            scope: Scope(
                userID: maybe(&g, text), agentID: maybe(&g, text), appID: maybe(&g, text), runID: maybe(&g, text)),
            metadata: maybe(&g) { g in
                Dictionary((0..<3).map { _ in (text(&g), JSONValueWritingTests.value(&g, depth: 1)) }) { a, _ in a }
            },
            infer: maybe(&g) { Bool.random(using: &$0) }, outputFormat: maybe(&g, text), version: maybe(&g, text),
            asyncMode: maybe(&g) { Bool.random(using: &$0) },
            timestamp: maybe(&g) { Int64.random(in: -1_000_000...2_000_000_000_000, using: &$0) },
            expirationDate: maybe(&g, text), immutable: maybe(&g) { Bool.random(using: &$0) },
            customCategories: maybe(&g) { JSONValueWritingTests.value(&$0, depth: 1) },
            customInstructions: maybe(&g, text), includes: maybe(&g, text), excludes: maybe(&g, text),
            filters: maybe(&g) { JSONValueWritingTests.value(&$0, depth: 2) }, orgID: maybe(&g, text),
            projectID: maybe(&g, text))
        r.memportCategories = maybe(&g) { g in (0..<2).map { _ in text(&g) } }
        r.memportVerbatim = maybe(&g) { Bool.random(using: &$0) }
        return r
    }

    static func event(_ g: inout G) -> AddEvent {
        AddEvent(
            id: maybe(&g, text), memory: maybe(&g, text), event: maybe(&g) { MemoryEventKind(rawValue: text(&$0)) },
            previousMemory: maybe(&g, text), status: maybe(&g, text), eventID: maybe(&g, text),
            message: maybe(&g, text),
            scope: maybe(&g) { g in Scope(userID: maybe(&g, text), agentID: maybe(&g, text), runID: maybe(&g, text)) })
    }

    @Test func addRequestIsWhatTheEncoderWrites() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var g = G(state: 17)
        for _ in 0..<2000 {
            let r = Self.request(&g)
            let expected = String(decoding: try encoder.encode(r), as: UTF8.self)
            #expect(r.jsonString() == expected)
        }
    }

    @Test func addResponseIsWhatTheEncoderWritesInEveryShape() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var g = G(state: 29)
        for i in 0..<1500 {
            let shape: AddResponse.Shape = [.list, .envelope, .event][i % 3]
            let answer = AddResponse(
                shape: shape, results: (0..<Int.random(in: 0...3, using: &g)).map { _ in Self.event(&g) },
                relations: Self.maybe(&g) { JSONValueWritingTests.value(&$0, depth: 1) },
                // An answer without results always names its event.
                eventID: shape == .event ? Self.text(&g) : Self.maybe(&g, Self.text), status: Self.maybe(&g, Self.text),
                message: Self.maybe(&g, Self.text))
            let written = answer.jsonString()
            #expect(
                AddResponse(tree: try JSONValue.parse(Data(written.utf8))) != nil,
                "a server's answer is read the short way")
            let expected = try JSONValue.parse(Data(try encoder.encode(answer)))
            #expect(try JSONValue.parse(Data(written.utf8)) == expected, "\(written)")
            // And it reads back as the same answer.
            var back = try JSONDecoder().decode(AddResponse.self, from: Data(written.utf8))
            if shape == .list { back.shape = .list }
            #expect(back == (try JSONDecoder().decode(AddResponse.self, from: try encoder.encode(answer))))
        }
    }

    /// A value of a random type for a field, mostly the right one.
    static func field(_ g: inout G, _ right: (inout G) -> JSONValue) -> JSONValue? {
        switch Int.random(in: 0..<10, using: &g) {
        case 0: return nil
        case 1: return .null
        case 2: return JSONValueWritingTests.value(&g, depth: 2)
        default: return right(&g)
        }
    }

    static func object(_ g: inout G, _ keys: [String], _ right: (inout G, String) -> JSONValue) -> JSONValue {
        var o: [String: JSONValue] = [:]
        for key in keys { o[key] = field(&g) { right(&$0, key) } }
        return .object(o)
    }

    static func item(_ g: inout G) -> JSONValue {
        let keys = [
            "id", "memory", "data", "event", "previous_memory", "status", "event_id", "message", "user_id", "agent_id",
            "app_id", "run_id",
        ]
        return object(&g, keys) { g, key in
            key == "data" ? object(&g, ["memory"]) { g, _ in .string(text(&g)) } : .string(text(&g))
        }
    }

    @Test func addAnswersReadAsDecodableReadsThem() throws {
        var g = G(state: 43)
        var fast = 0
        for i in 0..<3000 {
            let items = JSONValue.array((0..<Int.random(in: 0...3, using: &g)).map { _ in Self.item(&g) })
            let tree: JSONValue
            switch i % 4 {
            case 0: tree = items
            case 3: tree = JSONValueWritingTests.value(&g, depth: 1)
            default:
                tree = Self.object(&g, ["results", "relations", "event_id", "status", "message"]) { g, key in
                    switch key {
                    case "results": return items
                    case "relations": return JSONValueWritingTests.value(&g, depth: 1)
                    default: return .string(Self.text(&g))
                    }
                }
            }
            let data = Data(tree.jsonString().utf8)
            let expected = Result { try JSONValueDecoder().decode(AddResponse.self, from: data) }
            let read = Result { try AddResponse.decode(json: data) }
            switch (expected, read) {
            case (.success(let a), .success(let b)): #expect(a == b, "\(tree.jsonString())")
            case (.failure(let a), .failure(let b)): #expect("\(a)" == "\(b)")
            default: Issue.record("differs for \(tree.jsonString()): \(expected) against \(read)")
            }
            if AddResponse(tree: tree) != nil { fast += 1 }
        }
        #expect(fast > 300, "plain answers take the short way")
    }

    static func message(tree g: inout G) -> JSONValue {
        object(&g, ["role", "content", "name"]) { g, key in
            key == "content" && Int.random(in: 0..<6, using: &g) == 0
                ? .array([.object(["type": "text", "text": .string(text(&g))])]) : .string(text(&g))
        }
    }

    @Test func addRequestsReadFromTheTreeAsDecodableReadsThem() throws {
        var g = G(state: 71)
        var fast = 0
        let strings = [
            "user_id", "agent_id", "app_id", "run_id", "session_id", "output_format", "version", "expiration_date",
            "custom_instructions", "includes", "excludes", "org_id", "project_id",
        ]
        let flags = ["infer", "async_mode", "immutable", "memport_verbatim"]
        for i in 0..<3000 {
            var o: [String: JSONValue] = [:]
            switch i % 5 {
            case 0: o["messages"] = .string(Self.text(&g))
            case 1: o["messages"] = Self.message(tree: &g)
            default: o["messages"] = .array((0..<Int.random(in: 0...3, using: &g)).map { _ in Self.message(tree: &g) })
            }
            for key in strings { o[key] = Self.field(&g) { .string(Self.text(&$0)) } }
            for key in flags { o[key] = Self.field(&g) { .bool(Bool.random(using: &$0)) } }
            o["metadata"] = Self.field(&g) { g in .object(["k": .string(Self.text(&g)), "n": .int(3)]) }
            o["timestamp"] = Self.field(&g) { g in
                [.int(1_700_000_000), .int(1_700_000_000_123), .double(1.7e9 + 0.5), .int(-5), .double(1e30)][
                    Int.random(in: 0..<5, using: &g)]
            }
            o["memport_categories"] = Self.field(&g) { g in .array([.string(Self.text(&g)), .string("b")]) }
            o["custom_categories"] = Self.field(&g) { JSONValueWritingTests.value(&$0, depth: 1) }
            o["filters"] = Self.field(&g) { JSONValueWritingTests.value(&$0, depth: 1) }
            let expected = Result { try JSONValueDecoder().decode(AddRequest.self, from: .object(o)) }
            guard let read = AddRequest(tree: o) else { continue }
            fast += 1
            switch expected {
            case .success(let value): #expect(read == value, "\(JSONValue.object(o).jsonString())")
            case .failure(let error):
                Issue.record("the tree read \(JSONValue.object(o).jsonString()), which Decodable refuses: \(error)")
            }
        }
        #expect(fast > 100, "plain requests take the short way")
        // What a client sends is always read the short way.
        var h = G(state: 5)
        for _ in 0..<300 {
            var r = Self.request(&h)
            r.messages = r.messages.map { Message(role: $0.role, content: .text($0.content.text ?? ""), name: $0.name) }
            let tree = try JSONValue.parse(Data(r.jsonString().utf8))
            guard case .object(let o) = tree else { continue }
            if case .array? = o["messages"] {
                #expect(AddRequest(tree: o) == (try JSONValueDecoder().decode(AddRequest.self, from: tree)))
            }
        }
    }
}
