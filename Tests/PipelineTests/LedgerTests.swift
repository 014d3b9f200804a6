import Foundation
import GRDB
import MemoryAPI
import Reading
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

    @Test func aLedgerKeyedByImportKeyMovesToInsertionOrderKeepingEveryUnit() async throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // A ledger as memport wrote it before "v3-unit-order": units keyed by (job, import key).
        do {
            let old = try DatabaseQueue(path: dir.appendingPathComponent("ledger.sqlite").path)
            try Ledger.migrator.migrate(old, upTo: "v2-export")
            try await old.write { db in
                for job in ["j1", "j2"] {
                    try db.execute(
                        sql: """
                            INSERT INTO job (id, spec, target, sources, state, created_at, updated_at)
                            VALUES (?, '{}', 'T', '[]', 'interrupted', 'then', 'then')
                            """, arguments: [job])
                }
                for (key, state, ids) in [
                    ("k0", "confirmed", "[\"m1\"]"), ("k1", "in_flight", nil), ("k2", "rejected", nil),
                ] {
                    try db.execute(
                        sql: """
                            INSERT INTO unit (job_id, import_key, chunk_seq, kind, state, memory_ids, locator,
                                messages, updated_at) VALUES ('j1', ?, 0, 'add', ?, ?, '{"line":1}', 2, 'then')
                            """, arguments: [key, state, ids])
                }
            }
        }
        let ledger = try Ledger(directory: dir)
        let known = try await ledger.units(jobID: "j1", keys: ["k0", "k1", "k2"])
        #expect(known["k0"]?.state == .confirmed && known["k0"]?.memoryIDs == ["m1"] && known["k0"]?.messages == 2)
        #expect(known["k1"]?.state == .inFlight && known["k2"]?.state == .rejected)
        #expect(known["k1"]?.locator == #"{"line":1}"#)
        #expect(try await ledger.counts(jobID: "j1") == [.confirmed: 1, .inFlight: 1, .rejected: 1])
        #expect(try await ledger.deliveredElsewhere(target: "T", excludingJob: "j2", keys: ["k0", "k1"]) == ["k0"])
        // The unique (job, key) pair still makes a second record of a unit an update.
        var finished = try #require(known["k1"])
        finished.state = .confirmed
        finished.memoryIDs = ["m2"]
        try await ledger.record(jobID: "j1", units: [finished])
        #expect(try await ledger.counts(jobID: "j1") == [.confirmed: 2, .rejected: 1])
        #expect(try await ledger.deliveredMessages(jobID: "j1") == 4)
        let table = try await ledger.pool.read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'unit'")
        }
        #expect(table?.contains("id INTEGER PRIMARY KEY") == true && table?.contains("WITHOUT ROWID") == false)
    }

    /// A new ledger and its -wal and -shm files are mode 0600, whatever the umask.
    @Test func aNewLedgerIsReadableByItsOwnerOnly() async throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let old = umask(0o022)
        defer { umask(old) }
        let ledger = try Ledger(directory: dir)
        _ = try await ledger.openJob(id: "j1", spec: "{}", target: "T", sources: "[]")
        for name in ["ledger.sqlite", "ledger.sqlite-wal", "ledger.sqlite-shm"] {
            let path = dir.appendingPathComponent(name).path
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(name) is \(String(mode ?? 0, radix: 8))")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".new-") }
        #expect(leftovers.isEmpty)
    }

    /// An empty, garbage, truncated or foreign file where the ledger should be is refused with
    /// its path and how to start over; it is left as it was (never a silent fresh start).
    @Test(arguments: ["empty", "garbage", "truncated", "foreign", "tableless"])
    func aFileThatIsNotALedgerIsRefused(_ kind: String) async throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("ledger.sqlite").path
        switch kind {
        case "empty":
            _ = FileManager.default.createFile(atPath: path, contents: Data())
        case "garbage":
            _ = FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x5A, count: 5000))
        case "truncated":
            do {
                let ledger = try Ledger(directory: dir)
                for i in 0..<400 {
                    _ = try await ledger.openJob(
                        id: "job-\(i)", spec: String(repeating: "s", count: 500), target: "T", sources: "[]")
                }
            }
            // Fold the log into the file, then cut the file in half.
            let queue = try DatabaseQueue(path: path)
            try await queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try queue.close()
            try? FileManager.default.removeItem(atPath: path + "-wal")
            try? FileManager.default.removeItem(atPath: path + "-shm")
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
            #expect(size > 40_000)
            #expect(truncate(path, off_t(size / 2)) == 0)
        case "foreign":
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in try db.execute(sql: "CREATE TABLE photos (id INTEGER, name TEXT)") }
            try queue.close()
        default:
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in try db.execute(sql: "PRAGMA user_version = 7") }
            try queue.close()
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            _ = try Ledger(directory: dir)
            Issue.record("a \(kind) ledger was opened")
        } catch let error as PipelineError {
            #expect(error.code == .ledger)
            #expect(error.message.contains(path), "\(error)")
            #expect(error.message.contains("mv '\(path)'"), "\(error)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "the file is left as it was")
    }

    /// Credentials in a target URL never reach the ledger: not in the job's spec, not in its
    /// target; the job id is the same with or without them, so a resume finds the job.
    @Test func secretsInATargetURLAreNotStored() async throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = "http://me:m0-SECRETKEY@127.0.0.1:8765/?api_key=QUERYSECRET&region=eu"
        let spec = PipelineSpec(sources: ["a.jsonl"], target: try TargetSpec(url))
        let clean = PipelineSpec(sources: ["a.jsonl"], target: try TargetSpec("http://127.0.0.1:8765/?region=eu"))
        #expect(spec.jobID(resolvedSources: ["a.jsonl"]) == clean.jobID(resolvedSources: ["a.jsonl"]))
        do {
            let ledger = try Ledger(directory: dir)
            let specJSON = try JSONValue(encoding: spec).jsonString()
            _ = try await ledger.openJob(id: "j1", spec: specJSON, target: url, sources: "[]")
            let job = try #require(try await ledger.job("j1"))
            #expect(job.target == "http://127.0.0.1:8765/?region=eu")
            let stored = try JSONDecoder().decode(PipelineSpec.self, from: Data(job.spec.utf8))
            #expect(stored.target.description == "http://127.0.0.1:8765/?region=eu")
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            let bytes = try Data(contentsOf: dir.appendingPathComponent(name))
            for secret in ["SECRETKEY", "QUERYSECRET"] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(name) holds \(secret)")
            }
        }
    }

    /// The rejects' record columns ("v4-reject-record") come after main's migrations, on a new
    /// ledger (made through its temporary file) and on one written before them; the integrity
    /// check accepts both, and old rejects keep their kind by their import key.
    @Test func rejectRecordColumnsMigrateAfterTheOthersAndPassTheIntegrityCheck() async throws {
        let expected = ["v1", "v2-export", "v3-unit-order", "v4-reject-record"]
        let fresh = tempDir()
        defer { try? FileManager.default.removeItem(at: fresh) }
        let new = try Ledger(directory: fresh)
        #expect(try await new.pool.read { db in try Ledger.migrator.appliedIdentifiers(db) } == Set(expected))
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        do {
            let old = try DatabaseQueue(path: dir.appendingPathComponent("ledger.sqlite").path)
            try Ledger.migrator.migrate(old, upTo: "v3-unit-order")
            try await old.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO job (id, spec, target, sources, state, created_at, updated_at)
                        VALUES ('j1', '{}', 'T', '[]', 'finished', 'then', 'then');
                        INSERT INTO reject (job_id, reject_key, import_key, reason, status, message, locator, record,
                            created_at) VALUES ('j1', 'k1', 'k1', 'validation', 400, 'bad', '{}', '{"a":1}', 'then');
                        INSERT INTO reject (job_id, reject_key, reason, message, locator, record, created_at)
                        VALUES ('j1', 'r1', 'invalid_json', 'not JSON', '{"line":3}', '"{oops"', 'then');
                        """)
            }
            try old.close()
        }
        let ledger = try Ledger(directory: dir)
        let applied = try await ledger.pool.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        }
        #expect(applied == expected)
        let rejects = try await ledger.rejects(jobID: "j1").sorted { $0.key < $1.key }
        #expect(rejects.map(\.kind) == [.unit, .raw])
        #expect(rejects.map(\.record) == [#"{"a":1}"#, #""{oops""#])
        // Opened again: nothing left to migrate, still a ledger.
        _ = try Ledger(directory: dir)
    }
}
