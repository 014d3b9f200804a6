import Foundation
import MemoryAPI
import MemoryStore
import Pipeline
import TestSupport
import Testing

/// Issue 13, items 3 and 4, end to end through the `memport` binary: memories whose user is the
/// NFD spelling of another, or whose text holds a NUL, go through backup (over HTTP), the
/// manifest, restore and verify byte for byte; times stored out of range export without a crash
/// and come back as located rejects; a CSV timestamp out of range is a located reject; usage
/// errors exit 2.
@Suite(.serialized) struct ByteExactRoundTripTests {
    static let nfc = "caf\u{E9}"
    static let nfd = "cafe\u{301}"

    /// (user, text) as UTF-8 bytes, so NFC and NFD stay apart in a set.
    struct Pair: Hashable {
        var user: [UInt8]
        var text: [UInt8]
        init(_ user: String?, _ text: String) {
            self.user = Array((user ?? "").utf8)
            self.text = Array(text.utf8)
        }
    }

    static let expected: Set<Pair> = [
        Pair(nfc, "likes tea"), Pair(nfd, "likes tea"), Pair(nfc, "before\u{0}after"),
        Pair(nfd, "cafe\u{301} text"),
    ]

    static func fillSource(_ path: String) async throws {
        let store = try MemoryStore(path: path)
        for (user, text) in [
            (nfc, "likes tea"), (nfd, "likes tea"), (nfc, "before\u{0}after"), (nfd, "cafe\u{301} text"),
        ] {
            _ = try await store.add(
                AddRequest(messages: [Message(role: .user, text: text)], scope: Scope(userID: user), infer: false),
                in: .default)
        }
    }

    static func memories(inFile path: String) throws -> [Memory] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try JSONDecoder().decode(Memory.self, from: Data(line.utf8))
        }
    }

    @Test func nfdUsersAndNulTextsSurviveBackupManifestRestoreAndVerify() async throws {
        try await TemporaryDirectory.with { dir in
            try await Self.fillSource(dir.path("source.db"))
            let source = try await ServeProcess.start(database: dir.path("source.db"))
            defer { source.stop() }
            let empty = try await ServeProcess.start()
            defer { empty.stop() }
            let env = ["MEM0_API_KEY": source.apiKey]
            let state = dir.path("state")

            let backup = try await EngineFixtures.memport(
                ["backup", "--target", source.baseURL, "--output", dir.path("backup"), "--state-dir", state],
                environment: env, directory: dir.url.path)
            #expect(backup == 0)
            let manifest = try BackupManifest.verified(directory: dir.path("backup"))
            #expect(manifest.total == 4)
            let written = try Self.memories(inFile: dir.path("backup/memories.jsonl"))
            #expect(Set(written.map { Pair($0.scope.userID, $0.memory) }) == Self.expected)

            let restore = try await EngineFixtures.memport(
                ["restore", dir.path("backup"), "--target", empty.baseURL, "--state-dir", state, "--progress", "none"],
                environment: env, directory: dir.url.path)
            #expect(restore == 0)
            let restored = try await EngineFixtures.memories(inStore: empty.databasePath)
            #expect(Set(restored.map { Pair($0.scope.userID, $0.memory) }) == Self.expected)

            let verify = try await EngineFixtures.memport(
                ["verify", source.baseURL, empty.baseURL, "--report-json", dir.path("report.json")],
                environment: env, directory: dir.url.path)
            #expect(verify == 0)
            let report = try JSONValue.parse(try Data(contentsOf: dir.url.appendingPathComponent("report.json")))
            #expect(report["matched"] == .int(4), "\(report)")

            // The NFD text respelled in NFC is a change verify must see.
            let changed = try #require(restored.first { $0.memory.isExactly("cafe\u{301} text") })
            try ExportFixtures.sqlite(
                empty.databasePath, "UPDATE memories SET memory = 'caf\u{E9} text' WHERE id = '\(changed.id)';")
            let again = try await EngineFixtures.memport(
                ["verify", source.baseURL, empty.baseURL, "--report-json", dir.path("report2.json")],
                environment: env, directory: dir.url.path)
            #expect(again == 1)
            let second = try JSONValue.parse(try Data(contentsOf: dir.url.appendingPathComponent("report2.json")))
            #expect(second["changed_count"] == .int(1), "\(second)")
        }
    }

    @Test func anEmbeddedExportWritesEveryMemoryExactly() async throws {
        try await TemporaryDirectory.with { dir in
            try await Self.fillSource(dir.path("source.db"))
            let status = try await EngineFixtures.memport(
                [
                    "export", "--target", "embedded:" + dir.path("source.db"), "--output", dir.path("out.jsonl"),
                    "--state-dir", dir.path("state"),
                ], directory: dir.url.path)
            #expect(status == 0)
            let written = try Self.memories(inFile: dir.path("out.jsonl"))
            #expect(written.count == 4)
            #expect(Set(written.map { Pair($0.scope.userID, $0.memory) }) == Self.expected)
        }
    }

    @Test func timesStoredOutOfRangeExportAndComeBackAsLocatedRejects() async throws {
        try await TemporaryDirectory.with { dir in
            let store = try MemoryStore(path: dir.path("src.db"))
            let ids = try await store.add(
                AddRequest(
                    messages: [Message(role: .user, text: "fine"), Message(role: .user, text: "far")],
                    scope: Scope(userID: "u"), infer: false), in: .default
            ).results.compactMap(\.id)
            try ExportFixtures.sqlite(
                dir.path("src.db"), "UPDATE memories SET created_at = 1700000000000 WHERE id = '\(ids[1])';")
            let state = dir.path("state")
            let backup = try await EngineFixtures.memport(
                [
                    "backup", "--target", "embedded:" + dir.path("src.db"), "--output", dir.path("bk"), "--state-dir",
                    state,
                ],
                directory: dir.url.path)
            #expect(backup == 0, "a stored out-of-range time must not crash the export")
            let written = try Self.memories(inFile: dir.path("bk/memories.jsonl"))
            #expect(written.count == 2)
            #expect(written.contains { $0.createdAt?.timeIntervalSince1970 == 1_700_000_000_000 })

            let restore = try await EngineFixtures.memport(
                [
                    "restore", dir.path("bk"), "--target", "embedded:" + dir.path("dst.db"), "--state-dir", state,
                    "--progress", "none", "--fail-on-rejects",
                ], directory: dir.url.path)
            #expect(restore == 6, "the far memory is a reject")
            let restored = try await EngineFixtures.memories(inStore: dir.path("dst.db"))
            #expect(restored.map(\.memory) == ["fine"])
            let rejects = try Self.rejectLines(state)
            #expect(rejects.count == 1)
            #expect(rejects.first?.contains("created_at") == true, "\(rejects)")

            let verify = try await EngineFixtures.memport(
                ["verify", "embedded:" + dir.path("src.db"), "embedded:" + dir.path("dst.db")], directory: dir.url.path)
            #expect(verify == 1, "verify runs and reports the missing memory")
        }
    }

    @Test func aCSVTimestampOutOfRangeIsALocatedReject() async throws {
        try await TemporaryDirectory.with { dir in
            try "speaker,text,uid,ts\nuser,hello,u1,1700000000\nuser,far,u1,1.5e18\nuser,ms,u1,1700000000000\n"
                .write(toFile: dir.path("in.csv"), atomically: true, encoding: .utf8)
            let state = dir.path("state")
            let status = try await EngineFixtures.memport(
                [
                    "import", dir.path("in.csv"), "--preset", "generic", "--map",
                    "role=speaker,content=text,user_id=uid,timestamp=ts", "--target",
                    "embedded:" + dir.path("dst.db"), "--state-dir", state, "--progress", "none",
                ], directory: dir.url.path)
            #expect(status == 0)
            let stored = try await EngineFixtures.memories(inStore: dir.path("dst.db"))
            #expect(Set(stored.map(\.memory)) == ["hello", "ms"])
            #expect(stored.allSatisfy { $0.createdAt?.timeIntervalSince1970 == 1_700_000_000 })
            let rejects = try Self.rejectLines(state)
            #expect(rejects.count == 1)
            #expect(rejects.first.map { $0.contains("at ts") && $0.contains("\"line\":3") } == true, "\(rejects)")
        }
    }

    @Test func usageErrorsExitTwo() async throws {
        try await TemporaryDirectory.with { dir in
            for arguments in [
                ["serve", "--port", "99999", "--api-key", "k"],
                ["serve", "--no-such-flag"],
                ["serve", "--port", "0", "--api-key", "k=a/b", "--api-key", "k=c/d", "--db", dir.path("x.db")],
            ] {
                let status = try await EngineFixtures.memport(arguments, directory: dir.url.path)
                #expect(status == 2, "\(arguments)")
            }
        }
    }

    /// The lines of every rejects file under the state directory.
    static func rejectLines(_ state: String) throws -> [String] {
        let files = FileManager.default.enumerator(atPath: state)?.compactMap { $0 as? String } ?? []
        var lines: [String] = []
        for file in files where file.contains("rejects") && !file.hasSuffix(".sqlite") {
            let text = (try? String(contentsOfFile: state + "/" + file, encoding: .utf8)) ?? ""
            lines += text.split(separator: "\n").map(String.init)
        }
        return lines
    }
}
