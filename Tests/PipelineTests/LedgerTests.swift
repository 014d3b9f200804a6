import Foundation
import Testing

@testable import Pipeline

@Suite struct LedgerTests {
    func tempDir() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("memport-ledger-\(UUID().uuidString)")
    }

    @Test func jobsOpenResumeAndEnd() async throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ledger = try Ledger(directory: dir)
        let attrs = try FileManager.default.attributesOfItem(atPath: dir.path)
        #expect((attrs[.posixPermissions] as? Int) == 0o700)
        let (job, isNew) = try await ledger.openJob(id: "j1", spec: "{}", target: "embedded:x", sources: "[]")
        #expect(isNew && job.state == .running && job.runs == 1)
        try await ledger.endRun(jobID: "j1", state: .interrupted, records: 5, retries: 2, elapsed: 1.5)
        let (again, isNewAgain) = try await ledger.openJob(id: "j1", spec: "{}", target: "embedded:x", sources: "[]")
        #expect(!isNewAgain && again.runs == 2 && again.state == .running && again.retries == 2)
        try await ledger.endRun(jobID: "j1", state: .finished, records: 5, retries: 1, elapsed: 1)
        let done = try #require(try await ledger.job("j"))
        #expect(done.state == .finished && done.retries == 3 && done.finishedAt != nil)
        // A finished job stays finished when opened again.
        let (reopened, _) = try await ledger.openJob(id: "j1", spec: "{}", target: "embedded:x", sources: "[]")
        #expect(reopened.state == .finished)
        #expect(try await ledger.jobs().map(\.id) == ["j1"])
    }

    @Test func unitsAnswersAndRejectsMoveTogetherAndSurviveReopening() async throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            let ledger = try Ledger(directory: dir)
            _ = try await ledger.openJob(id: "j1", spec: "{}", target: "T", sources: "[]")
            let units = (0..<3).map {
                LedgerUnit(importKey: "k\($0)", chunk: 0, kind: "add", state: .inFlight, locator: "{}", messages: 2)
            }
            try await ledger.record(jobID: "j1", units: units, chunk: (0, false))
            var confirmed = units[0]
            confirmed.state = .confirmed
            confirmed.memoryIDs = ["m1", "m2"]
            var rejected = units[1]
            rejected.state = .rejected
            try await ledger.record(
                jobID: "j1", units: [confirmed, rejected],
                rejects: [
                    LedgerReject(
                        key: "k1", importKey: "k1", reason: "validation", status: 400, message: "bad", locator: "{}")
                ],
                chunk: (0, true))
        }
        let ledger = try Ledger(directory: dir)
        let known = try await ledger.units(jobID: "j1", keys: ["k0", "k1", "k2", "nope"])
        #expect(known["k0"]?.state == .confirmed && known["k0"]?.memoryIDs == ["m1", "m2"])
        #expect(known["k1"]?.state == .rejected && known["k2"]?.state == .inFlight && known["nope"] == nil)
        #expect(try await ledger.counts(jobID: "j1") == [.confirmed: 1, .rejected: 1, .inFlight: 1])
        #expect(try await ledger.rejectCounts(jobID: "j1") == ["validation": 1])
        #expect(try await ledger.deliveredMessages(jobID: "j1") == 2)
        // Another job to the same target sees k0 as delivered; a job to another target does not.
        _ = try await ledger.openJob(id: "j2", spec: "{}", target: "T", sources: "[]")
        #expect(try await ledger.deliveredElsewhere(target: "T", excludingJob: "j2", keys: ["k0", "k1"]) == ["k0"])
        #expect(try await ledger.deliveredElsewhere(target: "U", excludingJob: "j2", keys: ["k0"]).isEmpty)
    }

    @Test func manyKeysAreLookedUpInSlices() async throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ledger = try Ledger(directory: dir)
        _ = try await ledger.openJob(id: "j", spec: "{}", target: "T", sources: "[]")
        let units = (0..<2500).map {
            LedgerUnit(importKey: "k\($0)", chunk: $0 / 1000, kind: "add", state: .pending, locator: "{}")
        }
        try await ledger.record(jobID: "j", units: units)
        #expect(try await ledger.units(jobID: "j", keys: units.map(\.importKey)).count == 2500)
    }
}
