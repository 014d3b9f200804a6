import Foundation
import Testing

@testable import Reading

@Suite struct MemberSlotsTests {
    static func slots(_ text: String) throws -> MemberSlots {
        let tape = try JSONTape(parsing: Array(text.utf8))
        return MemberSlots(tape.root) { key in
            if JSONNode.key(key, is: "a") { return 0 }
            if JSONNode.key(key, is: "b") { return 1 }
            if JSONNode.key(key, is: "c") { return 7 }
            return nil
        }
    }

    /// Each slot reads as `field(_:)` does: the first member of its name, `nil` when that member
    /// is absent or `null` (a later member of the same name does not replace a first `null`).
    @Test func firstMemberWinsAndNullIsAbsent() throws {
        let slots = try Self.slots(#"{"x":1,"a":"one","a":"two","b":null,"b":"late","c":[1,{"a":"inner"}]}"#)
        #expect(slots[0]?.string == "one")
        #expect(slots[1] == nil)
        #expect(slots[7]?.elementCount == 2)
        #expect(slots[2] == nil)
    }

    @Test func escapedKeysAreMatchedByTheirText() throws {
        let slots = try Self.slots(#"{"\u0061":"escaped","\u0062":2}"#)
        #expect(slots[0]?.string == "escaped")
        #expect(slots[1]?.double == 2)
    }

    @Test func anythingButAnObjectHasNoMembers() throws {
        for text in [#"["a","b"]"#, #""a""#, "null", "{}"] {
            let slots = try Self.slots(text)
            #expect(slots[0] == nil && slots[1] == nil && slots[7] == nil, "\(text)")
        }
    }

    /// A record's scope fields are read in one pass with the same rules: a first `null` hides a
    /// later value, `session_id` stands in for `run_id`, and a wrong type names its field.
    @Test func recordScopeReadsItsFieldsInOnePass() throws {
        func scope(_ text: String) throws(ReadingError) -> RecordScope {
            try RecordScope(node: try! JSONTape(parsing: Array(text.utf8)).root)
        }
        let own = try scope(#"{"user_id":null,"user_id":"late","session_id":"s","agent_id":"a","metadata":{"k":1}}"#)
        #expect(own.scope.userID == nil)
        #expect(own.scope.runID == "s")
        #expect(own.scope.agentID == "a")
        #expect(own.metadata == ["k": 1])
        #expect(try scope(#"{"run_id":"r","session_id":"s"}"#).scope.runID == "r")
        #expect(throws: ReadingError.self) { try scope(#"{"app_id":3}"#) }
        do {
            _ = try scope(#"{"user_id":"u","metadata":[1]}"#)
            Issue.record("metadata that is not an object must be refused")
        } catch {
            #expect(error.path == "metadata")
        }
    }

    /// With a list of names, slot `k` holds the member named `names[k]`, by the same rules.
    @Test func namesGiveTheirSlots() throws {
        let tape = try JSONTape(parsing: Array(#"{"role":"user","x":0,"id":null,"content":"hi","role":"late"}"#.utf8))
        let slots = MemberSlots(tape.root, names: ["role", "content", "id", "name"])
        #expect(slots[0]?.string == "user")
        #expect(slots[1]?.string == "hi")
        #expect(slots[2] == nil)
        #expect(slots[3] == nil)
    }
}
