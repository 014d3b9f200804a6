import Foundation
import Testing

@testable import MemoryAPI

@Suite struct MemoryTests {
    func decode(_ json: String) throws -> Memory {
        try JSONDecoder().decode(Memory.self, from: Data(json.utf8))
    }

    @Test func toleratesEveryShapeOfContractSection4() throws {
        let a = try decode(
            #"{"id":"1","memory":"m","user_id":"u","session_id":"s","metadata":"None","categories":null,"created_at":"2024-07-20T01:30:36.275141-07:00","updated_at":"2026-01-15T10:30:00Z","hash":"abc","structured_attributes":{"year":2024}}"#
        )
        #expect(a.scope == Scope(userID: "u", runID: "s") && a.metadata == nil && a.categories == nil)
        #expect(a.createdAt == MemoryTimestamp.parse("2024-07-20T08:30:36.275141Z") && a.hash == "abc")
        #expect(a.extra["structured_attributes"] == ["year": 2024])
        let b = try decode(
            #"{"id":"2","text":"old style","run_id":"r","metadata":{"k":[1,true]},"categories":["x"],"immutable":false}"#
        )
        #expect(b.memory == "old style" && b.scope.runID == "r" && b.metadata == ["k": [1, true]])
        #expect(b.categories == ["x"] && b.immutable == false)
        let c = try decode(#"{"id":"3","data":{"memory":"nested"},"metadata":"{\"a\": 1}","created_at":1700000000}"#)
        #expect(
            c.memory == "nested" && c.metadata == ["a": 1] && c.createdAt == Date(timeIntervalSince1970: 1_700_000_000))
    }

    @Test func refusesWhatItCannotRead() {
        for json in [
            #"{"memory":"no id"}"#, #"{"id":"1"}"#, #"{"id":"1","memory":"m","metadata":[1]}"#,
            #"{"id":"1","memory":"m","created_at":"last tuesday"}"#, #"{"id":"1","memory":"m","categories":[1]}"#,
        ] {
            #expect(throws: DecodingError.self, "\(json)") { try decode(json) }
        }
    }

    @Test func encodesTheRunIDAsAsked() throws {
        let m = Memory(
            id: "1", memory: "m", scope: Scope(userID: "u", runID: "r"), metadata: ["a": 1],
            createdAt: Date(timeIntervalSince1970: 0))
        func keys(_ spelling: RunIDSpelling?) throws -> [String: JSONValue] {
            let encoder = JSONEncoder()
            if let spelling { encoder.userInfo[RunIDSpelling.userInfoKey] = spelling }
            return try JSONDecoder().decode([String: JSONValue].self, from: encoder.encode(m))
        }
        #expect(try keys(nil)["run_id"] == "r" && keys(nil)["session_id"] == nil)
        #expect(try keys(.sessionID)["session_id"] == "r" && keys(.sessionID)["run_id"] == nil)
        #expect(try keys(.both)["session_id"] == "r" && keys(.both)["run_id"] == "r")
        #expect(try keys(nil)["created_at"] == "1970-01-01T00:00:00.000000Z" && keys(nil)["agent_id"] == .null)
        let back = try decode(String(decoding: JSONEncoder().encode(m), as: UTF8.self))
        #expect(back == m)
    }

    @Test func jsonValueWritesWhatTheEncoderWrites() throws {
        let memories = [
            Memory(id: "1", memory: "m", scope: Scope(userID: "u", runID: "r"), metadata: ["a": 1]),
            Memory(
                id: "2", memory: "quote \" and\nline é", scope: Scope(agentID: "a", appID: "p"),
                metadata: ["nested": ["k": [true, .null, 2.5]], "s": "x/y"], categories: ["c1", "c2"], immutable: true,
                expirationDate: "2030-01-01", createdAt: Date(timeIntervalSince1970: 1_700_000_000.123456),
                updatedAt: Date(timeIntervalSince1970: 0), hash: "h", score: 0.75,
                extra: ["owner": "o", "memory": "ignored: a known key", "n": 3]),
            Memory(id: "3", memory: "", scope: Scope(), score: 1),
            Memory(
                id: "4", memory: "all \"fields\"\n", scope: Scope(userID: "u", agentID: "a", appID: "p", runID: "r"),
                metadata: ["k": [1, 2.5, "x"]], categories: [], immutable: false, expirationDate: "2031-02-03",
                createdAt: Date(timeIntervalSince1970: 1), updatedAt: Date(timeIntervalSince1970: 2), hash: "h",
                score: 0.125),
        ]
        for m in memories {
            for spelling in [RunIDSpelling.runID, .sessionID, .both] {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                encoder.userInfo[RunIDSpelling.userInfoKey] = spelling
                let expected = String(decoding: try encoder.encode(m), as: UTF8.self)
                #expect(m.jsonValue(spelling: spelling).jsonString() == expected)
                #expect(m.jsonString(spelling: spelling) == expected)
            }
        }
    }

    @Test func pageJSONValueWritesWhatTheEncoderWrites() throws {
        let memories = [
            Memory(id: "1", memory: "m", scope: Scope(userID: "u", runID: "r"), metadata: ["a": 1]),
            Memory(id: "2", memory: "n", scope: Scope(agentID: "a"), score: 0.5),
        ]
        for shape in [Page<Memory>.Shape.paginated, .results, .list] {
            for next in [nil, "http://h/v1/memories/?page=2"] {
                let page = Page(count: 7, next: next, results: memories, shape: shape)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                encoder.userInfo[RunIDSpelling.userInfoKey] = RunIDSpelling.both
                let expected = String(decoding: try encoder.encode(page), as: UTF8.self)
                #expect(page.jsonString(spelling: .both) == expected)
            }
        }
    }
}
