import Foundation
import MemoryAPI
import Testing

@testable import Pipeline

/// The fast listing reader gives exactly what `JSONDecoder` gives, or defers to it.
@Suite struct MemoryListingDecoderTests {
    static let memory = #"""
        {"id":"m1","memory":"likes \"tea\" \u00e9","user_id":"u","agent_id":null,"app_id":null,"run_id":"r",
         "session_id":"r","hash":"h","metadata":{"n":3,"d":2.5,"whole":3.0,"e":1e2,"big":12345678901234567890,
         "s":"x","b":true,"nil":null,"list":[1,"a",{"k":-0.0}]},"categories":["c1","c2"],"immutable":false,
         "expiration_date":"2030-01-01","created_at":"2024-07-20T10:11:12.123456-07:00",
         "updated_at":"2024-07-20T10:11:12Z","score":0.5,"owner":"o","extra_obj":{"a":[true]}}
        """#

    /// Bodies in every shape, with fields the fast path reads and ones it leaves to `JSONDecoder`.
    static let bodies: [String] = [
        #"{"count":3,"next":"http://h/v1/memories/?page=2","previous":null,"results":[\#(memory)]}"#,
        #"{"results":[\#(memory),{"id":"m2","memory":"x","user_id":"u"}]}"#,
        #"[\#(memory)]"#,
        #"[]"#,
        #"{"count":0,"next":null,"previous":null,"results":[]}"#,
        // Slow-path shapes: numeric id, text instead of memory, data.memory, "None" metadata,
        // a category string, a boolean as a string, epoch dates, run id as session_id only.
        #"[{"id":7,"text":"t","user_id":"u"}]"#,
        #"[{"id":"a","data":{"memory":"d"},"metadata":"None","categories":"c","immutable":"True"}]"#,
        #"[{"id":"a","memory":"m","created_at":1700000000,"updated_at":"None","session_id":"s"}]"#,
        #"[{"id":"a","memory":"m","metadata":"{\"k\":1}","score":1}]"#,
    ]

    @Test(arguments: bodies)
    func readsWhatJSONDecoderReads(_ body: String) throws {
        let data = Data(body.utf8)
        let expected = try JSONDecoder().decode(Page<Memory>.self, from: data)
        #expect(try MemoryListingDecoder.page(data) == expected)
    }

    @Test func takesTheFastPathForWhatServersSend() throws {
        #expect(MemoryListingDecoder.fast(Data(Self.bodies[0].utf8)) != nil)
        #expect(MemoryListingDecoder.fast(Data(Self.bodies[5].utf8)) == nil, "a numeric id is the decoder's to judge")
    }

    @Test(arguments: [
        #"{"count":1,"results":[{"id":"a"}]}"#, #"[{"id":"a","memory":"m","user_id":5}]"#,
        #"{"results":[{"id":"a","memory":"m","created_at":"not a date"}]}"#, #"{"results":"#, #"{"count":"x"}"#,
    ])
    func failsAsJSONDecoderFails(_ body: String) {
        let data = Data(body.utf8)
        #expect(throws: (any Error).self) { try JSONDecoder().decode(Page<Memory>.self, from: data) }
        #expect(throws: (any Error).self) { try MemoryListingDecoder.page(data) }
    }
}
