import Foundation
import Testing

@testable import MemoryAPI

/// `JSONValueDecoder` decodes every wire type to what `JSONDecoder` decodes, and fails where it
/// fails, at the same coding path.
@Suite struct JSONValueDecoderTests {
    /// Bodies in the shapes SDKs and servers send: every add shape, answers, listings, batches.
    static let samples: [(type: String, json: String)] = [
        ("add", #"{"messages":"I like tea","user_id":"u","output_format":"v1.1"}"#),
        ("add", #"{"messages":{"role":"assistant","content":"ok"},"agent_id":"a","metadata":null}"#),
        (
            "add",
            #"{"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"x"}}]}],"filters":{"user_id":"f"},"timestamp":1700000000.7,"unknown":1,"metadata":{"k":[1,2.5,{"z":null}],"s":"a/b"},"infer":false,"custom_categories":[{"food":"x"}],"memport_categories":["a","b"],"immutable":true,"expiration_date":"2030-01-01"}"#
        ),
        ("response", #"[{"id":"1","data":{"memory":"m"},"event":"ADD"}]"#),
        ("response", #"{"results":[{"message":"queued","status":"PENDING","event_id":"e1"}]}"#),
        (
            "response",
            #"{"event_id":"e2","status":"PENDING","message":"ok","results":[{"id":"x","memory":"t","event":"ADD","user_id":"u"}]}"#
        ),
        (
            "page",
            #"{"count":204,"next":"https://h/v1/memories/?page=2","previous":null,"results":[{"id":"1","memory":"a","metadata":{"n":3},"created_at":"2024-01-02T03:04:05.123456-08:00","categories":["x"]}]}"#
        ),
        ("update", #"{"text":"new","metadata":null,"expiration_date":null}"#),
        (
            "batch",
            #"{"memories":[{"memory_id":"8d3c9f0e-0000-4000-8000-000000000001","text":"t","metadata":{"a":1}}]}"#
        ),
    ]

    func both<T: Decodable & Equatable>(_ type: T.Type, _ json: String) throws {
        let data = Data(json.utf8)
        let expected = try JSONDecoder().decode(type, from: data)
        #expect(try JSONValueDecoder().decode(type, from: data) == expected, "\(json)")
    }

    @Test func decodesWhatJSONDecoderDecodes() throws {
        for (type, json) in Self.samples {
            switch type {
            case "add": try both(AddRequest.self, json)
            case "response": try both(AddResponse.self, json)
            case "page": try both(Page<Memory>.self, json)
            case "update": try both(UpdateRequest.self, json)
            default: try both(BatchRequest<BatchUpdateItem>.self, json)
            }
        }
    }

    @Test func numbersKeepTheirKind() throws {
        struct Numbers: Codable, Equatable {
            var i: Int
            var d: Double
            var u: UInt8
            var f: Float
        }
        let value = try JSONValueDecoder().decode(Numbers.self, from: Data(#"{"i":3.0,"d":2,"u":255,"f":0.5}"#.utf8))
        #expect(value == Numbers(i: 3, d: 2, u: 255, f: 0.5))
        #expect(throws: DecodingError.self) {
            try JSONValueDecoder().decode(Numbers.self, from: Data(#"{"i":3.5,"d":2,"u":255,"f":0.5}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONValueDecoder().decode(Numbers.self, from: Data(#"{"i":1,"d":2,"u":256,"f":0.5}"#.utf8))
        }
    }

    /// Wrong shapes fail as `JSONDecoder` fails: the same error case at the same coding path.
    @Test func failsWhereJSONDecoderFails() throws {
        let bad = [
            #"{"user_id":"u"}"#,
            #"{"messages":5}"#,
            #"{"messages":[{"role":"user","content":"x"}],"metadata":[1]}"#,
            #"{"messages":[{"role":"user","content":"x"}],"user_id":7}"#,
            #"{"messages":[{"role":"user","content":"x"}],"timestamp":"soon"}"#,
            #"{"messages":[{"role":"user","content":"x"},{"content":"y","role":3}]}"#,
        ]
        for json in bad {
            let data = Data(json.utf8)
            let expected = describe { _ = try JSONDecoder().decode(AddRequest.self, from: data) }
            let got = describe { _ = try JSONValueDecoder().decode(AddRequest.self, from: data) }
            #expect(expected != nil && got?.path == expected?.path && got?.kind == expected?.kind, "\(json)")
        }
        #expect(throws: MemoryAPIError.self) { try JSONValueDecoder().decode(AddRequest.self, from: Data("{".utf8)) }
    }

    func describe(_ body: () throws -> Void) -> (kind: String, path: String)? {
        do {
            try body()
            return nil
        } catch let error as DecodingError {
            switch error {
            case .typeMismatch(_, let c): return ("type", MemoryAPIError.codingPathString(c.codingPath, root: ""))
            case .valueNotFound(_, let c): return ("value", MemoryAPIError.codingPathString(c.codingPath, root: ""))
            case .keyNotFound(let k, let c):
                return ("key", MemoryAPIError.codingPathString(c.codingPath + [k], root: ""))
            case .dataCorrupted(let c): return ("data", MemoryAPIError.codingPathString(c.codingPath, root: ""))
            @unknown default: return ("other", "")
            }
        } catch {
            return ("other", "\(error)")
        }
    }
}
