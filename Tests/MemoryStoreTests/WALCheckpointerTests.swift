import Foundation
import MemoryAPI
import TestSupport
import Testing

@testable import MemoryStore

/// The write-ahead log is checkpointed beside the writer, caught up (after a few shrinking
/// background rounds) by the writer so it can restart, and bounded when the background falls behind.
@Suite struct WALCheckpointerTests {
    @Test func decisionsFollowTheLogsSize() {
        let c = WALCheckpointer(
            path: "/nonexistent", backgroundPages: 100, catchUpPages: 20, quickPages: 20, followRounds: 0,
            writerPages: 1000)
        #expect(c.decide(50) == .nothing)
        #expect(c.decide(100) == .startBackground)
        // One at a time: the log grows while it runs.
        #expect(c.decide(180) == .nothing)
        #expect(c.decide(230) == .nothing)
        // It copied up to 230; at 240 the writer copies the last 10 pages itself.
        c.finished(copied: 230)
        #expect(c.decide(240) == .checkpointOnWriter)
        // The log restarted: counting begins again from its start.
        #expect(c.decide(30) == .nothing)
        #expect(c.decide(99) == .nothing)
        #expect(c.decide(100) == .startBackground)
        // Too far behind for the writer to catch up cheaply: another background round.
        c.finished(copied: 100)
        #expect(c.decide(150) == .nothing)
        #expect(c.decide(200) == .startBackground)
        // A failed background checkpoint leaves nothing to catch up with; the next round starts
        // after another `backgroundPages`.
        c.finished(copied: nil)
        #expect(c.decide(250) == .nothing)
        #expect(c.decide(300) == .startBackground)
        // Past the writer's bound the writer checkpoints whatever runs.
        #expect(c.decide(1000) == .checkpointOnWriter)
        #expect(c.decide(1010) == .checkpointOnWriter)
    }

    @Test func backgroundRoundsFollowEachOtherToShrinkTheWritersCatchUp() {
        let c = WALCheckpointer(
            path: "/nonexistent", backgroundPages: 100, catchUpPages: 50, quickPages: 5, followRounds: 2,
            writerPages: 1000)
        #expect(c.decide(100) == .startBackground)
        // 40 pages came in during the round: more than the writer copies at once, so a second
        // round starts at once, without waiting for another `backgroundPages`.
        c.finished(copied: 100)
        #expect(c.decide(140) == .startBackground)
        #expect(c.decide(145) == .nothing)
        // Only 3 pages behind after it: the writer copies them, and the log can restart.
        c.finished(copied: 145)
        #expect(c.decide(148) == .checkpointOnWriter)
        #expect(c.decide(10) == .nothing)
        #expect(c.decide(100) == .startBackground)
        // Rounds follow while the gap shrinks, at most `followRounds` of them; then the writer
        // copies what is left when it is within `catchUpPages`...
        c.finished(copied: 100)
        #expect(c.decide(140) == .startBackground)
        c.finished(copied: 140)
        #expect(c.decide(170) == .startBackground)
        c.finished(copied: 170)
        #expect(c.decide(190) == .checkpointOnWriter)
        // ...and a gap that grows (the writer outruns the rounds) is left to the next round
        // after `backgroundPages`.
        #expect(c.decide(20) == .nothing)
        #expect(c.decide(100) == .startBackground)
        c.finished(copied: 100)
        #expect(c.decide(140) == .startBackground)
        c.finished(copied: 140)
        #expect(c.decide(200) == .nothing)
        #expect(c.decide(239) == .nothing)
        #expect(c.decide(240) == .startBackground)
    }

    @Test func aBusyStoreKeepsItsLogShortAndLosesNothing() async throws {
        try await TemporaryDirectory.with { dir in
            let path = dir.path("m.db")
            let store = try MemoryStore(path: path, checkpointPages: 32)
            // Concurrent single adds, as a server sees them (group commit), in rounds.
            for round in 0..<6 {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for i in 0..<100 {
                        group.addTask {
                            let text = "round \(round) fact \(i) " + String(repeating: "x", count: 300)
                            _ = try await store.add(
                                AddRequest(messages: [Message(role: .user, text: text)], scope: Scope(userID: "u")),
                                in: .default)
                        }
                    }
                    try await group.waitForAll()
                }
            }
            let counts = store.checkpointer.counts
            #expect(counts.background > 0, "checkpoints ran beside the writer")
            #expect(counts.writer > 0, "the writer caught the log up so it could restart")
            let walBytes = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            // 16 × 32 pages is where the writer checkpoints whatever runs; a frame is a page plus 24 bytes.
            #expect(walBytes <= (16 * 32 + 64) * (4096 + 24), "the log stays bounded: \(walBytes) bytes")
            #expect(try await store.all(filter: nil, in: .default).count == 600)
        }
        // Nothing of it depends on the checkpoints having run: a fresh store reads all of it.
    }
}
