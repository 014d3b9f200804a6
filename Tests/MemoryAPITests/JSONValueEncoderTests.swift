import Foundation
import Testing

@testable import MemoryAPI

/// `JSONValueEncoder` writes the bytes `JSONEncoder` writes with sorted keys and slashes kept.
@Suite struct JSONValueEncoderTests {
    func sameBytes<T: Encodable>(_ value: T, userInfo: [CodingUserInfoKey: any Sendable] = [:]) throws {
        let foundation = JSONEncoder()
        foundation.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for (key, v) in userInfo { foundation.userInfo[key] = v }
        var encoder = JSONValueEncoder()
        encoder.userInfo = userInfo
        let expected = String(decoding: try foundation.encode(value), as: UTF8.self)
        #expect(String(decoding: try encoder.encodeData(value), as: UTF8.self) == expected)
    }

    @Test func addRequestsAndAnswers() throws {
        var add = AddRequest(
            messages: [Message(role: .user, text: "a/b \"q\" é"), Message(role: .assistant, text: "ok\n")],
            scope: Scope(userID: "u", runID: "r"),
            metadata: ["k": .array([.int(1), .double(2.5), .null]), "nested": .object(["z": .bool(true)])],
            infer: false, timestamp: 1_700_000_000, expirationDate: "2030-01-01", immutable: true,
            customCategories: .array([.object(["food": .string("x")])]))
        add.memportCategories = ["a"]
        add.memportVerbatim = true
        try sameBytes(add)
        let events = [
            AddEvent(id: "1", memory: "m", event: .add, scope: Scope(userID: "u")),
            AddEvent(status: "PENDING", eventID: "e", message: "queued"),
        ]
        for shape in [AddResponse.Shape.list, .envelope, .event] {
            try sameBytes(AddResponse(shape: shape, results: events, eventID: "e", status: "SUCCEEDED"))
        }
    }

    @Test func memoriesWithEitherRunIDSpelling() throws {
        let json =
            #"{"id":"1","memory":"a","run_id":"r","metadata":{"n":3,"f":0.1},"created_at":"2024-01-02T03:04:05.123456-08:00","categories":["x"],"immutable":false}"#
        let memory = try JSONDecoder().decode(Memory.self, from: Data(json.utf8))
        try sameBytes(memory)
        try sameBytes(Page(count: 1, results: [memory]), userInfo: [RunIDSpelling.userInfoKey: RunIDSpelling.both])
    }

    @Test func primitivesDatesAndRefusals() throws {
        struct Mixed: Encodable {
            var date = Date(timeIntervalSinceReferenceDate: 12.5)
            var url = URL(string: "https://h/a?b=1")!
            var bytes = Data([0, 1, 255])
            var big = UInt64(Int64.max)
            var small: Int8 = -3
            var none: String? = nil
            var list: [Int?] = [1, nil]
        }
        try sameBytes(Mixed())
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encodeData(["x": Double.nan]) }
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encodeData([UInt64.max]) }
    }
}
