import Foundation
import MemoryAPI
import TestSupport
import Testing

@testable import MemoryStore

/// The write-ahead log is checkpointed beside the writer, caught up by the writer so it can
/// restart, and bounded when the background falls behind.
@Suite struct WALCheckpointerTests {
    @Test func decisionsFollowTheLogsSize() {
        let c = WALCheckpointer(path: "/nonexistent", backgroundPages: 100, catchUpPages: 20, writerPages: 1000)
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
            // The log restarts once a checkpoint has copied all of it: after a background round
            // that caught up while the adds paused, or after the writer copied the last pages.
            #expect(counts.restarts > 0, "the log started again from its beginning")
            let walBytes = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            // 16 × 32 pages is where the writer checkpoints whatever runs (waiting for a background
            // round that holds the lock); past it comes at most the commit that crossed it, here
            // up to 100 adds of 300 bytes. A frame is a page plus 24 bytes.
            #expect(walBytes <= (16 * 32 + 128) * (4096 + 24), "the log stays bounded: \(walBytes) bytes")
            #expect(try await store.all(filter: nil, in: .default).count == 600)
        }
        // Nothing of it depends on the checkpoints having run: a fresh store reads all of it.
    }
}
