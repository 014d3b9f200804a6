import Foundation
import MemoryAPI
import Pipeline
import TestSupport
import Testing

/// Verify matches memories by origin id and finds missing, extra and changed ones.
struct VerifierTests {
    static func write(_ memories: [Memory], to path: String) throws {
        let encoder = JSONEncoder()
        var text = ""
        for m in memories { text += String(decoding: try encoder.encode(m), as: UTF8.self) + "\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func findsMissingExtraAndChangedIgnoringMemportKeys() async throws {
        try await TemporaryDirectory.with { dir in
            let t0 = Date(timeIntervalSince1970: 1_600_000_000)
            let source = [
                Memory(id: "a", memory: "one", scope: Scope(userID: "u"), metadata: ["k": 1], createdAt: t0),
                Memory(id: "b", memory: "two", scope: Scope(userID: "u"), createdAt: t0),
                Memory(id: "c", memory: "three", scope: Scope(agentID: "g"), createdAt: t0),
                Memory(id: "d", memory: "four", scope: Scope(agentID: "g"), createdAt: t0),
            ]
            let same = [
                // Restored copies: new ids, the origin in memport_source_id, memport keys ignored,
                // created_at equal to the second.
                Memory(
                    id: "x1", memory: "one", scope: Scope(userID: "u"),
                    metadata: ["k": 1, "memport_source_id": "a", "memport_import_key": "abc"],
                    createdAt: t0.addingTimeInterval(0.4)),
                Memory(
                    id: "x2", memory: "two", scope: Scope(userID: "u"), metadata: ["memport_source_id": "b"],
                    createdAt: t0),
                Memory(id: "c", memory: "three", scope: Scope(agentID: "g"), createdAt: t0),
                Memory(id: "d", memory: "four", scope: Scope(agentID: "g"), createdAt: t0),
            ]
            try Self.write(source, to: dir.path("a.jsonl"))
            try Self.write(same, to: dir.path("b.jsonl"))
            let verifier = Verifier { try TargetFactory.open($0) }
            let identical = try await verifier.compare(.file(dir.path("a.jsonl")), .file(dir.path("b.jsonl")))
            #expect(identical.identical, "\(identical.rendered())")
            #expect(identical.matched == 4)

            var different = same
            different[0].metadata?["k"] = 2
            different[1].createdAt = t0.addingTimeInterval(5)
            different.remove(at: 3)
            different.append(Memory(id: "e", memory: "five", scope: Scope(agentID: "g")))
            try Self.write(different, to: dir.path("c.jsonl"))
            let report = try await verifier.compare(.file(dir.path("a.jsonl")), .file(dir.path("c.jsonl")))
            #expect(!report.identical)
            #expect(report.missing.map(\.identity) == ["d"])
            #expect(report.extra.map(\.identity) == ["e"])
            #expect(Set(report.changed.map(\.identity)) == ["a", "b"])
            #expect(report.changed.first { $0.identity == "a" }?.fields == ["metadata"])
            #expect(report.changed.first { $0.identity == "b" }?.fields == ["created_at"])
            #expect(report.json()["missing_count"] == .int(1))
        }
    }
}
