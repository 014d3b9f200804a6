import Foundation
import MemoryAPI
import Pipeline
import Reading
import TestSupport
import Testing

/// Manifest checks: a file changed, lost or named outside the backup is refused, by name.
struct BackupManifestTests {
    static func backup(_ dir: TemporaryDirectory) throws -> String {
        let data = Data("{\"id\":\"m1\",\"memory\":\"x\",\"user_id\":\"u\"}\n".utf8)
        try data.write(to: dir.url.appendingPathComponent("memories.jsonl"))
        let (sha, bytes) = try BackupManifest.digest(of: dir.path("memories.jsonl"))
        #expect(sha == SHA256.hex(data))
        let manifest = BackupManifest(
            memportVersion: "0.1.0", source: "http://127.0.0.1:1", createdAt: "2026-01-01T00:00:00Z",
            entities: ["user_id=u"], format: .ndjson, gzip: false,
            files: [.init(name: "memories.jsonl", count: 1, bytes: bytes, sha256: sha)])
        try AtomicFile.write(try JSONEncoder().encode(manifest), to: dir.path(BackupManifest.fileName))
        return dir.url.path
    }

    @Test func anIntactBackupPasses() async throws {
        try await TemporaryDirectory.with { dir in
            let manifest = try BackupManifest.verified(directory: try Self.backup(dir))
            #expect(manifest.total == 1)
        }
    }

    @Test func aChangedByteIsRefusedNamingTheFile() async throws {
        try await TemporaryDirectory.with { dir in
            let root = try Self.backup(dir)
            try Data("{\"id\":\"m1\",\"memory\":\"y\",\"user_id\":\"u\"}\n".utf8).write(
                to: dir.url.appendingPathComponent("memories.jsonl"))
            let error = #expect(throws: PipelineError.self) { try BackupManifest.verified(directory: root) }
            #expect(error?.code == .corruptBackup)
            #expect(error?.message.contains("memories.jsonl is corrupted") == true)
        }
    }

    @Test func aMissingFileOrManifestIsRefused() async throws {
        try await TemporaryDirectory.with { dir in
            let root = try Self.backup(dir)
            try FileManager.default.removeItem(atPath: dir.path("memories.jsonl"))
            let missing = #expect(throws: PipelineError.self) { try BackupManifest.verified(directory: root) }
            #expect(missing?.message.contains("memories.jsonl is missing") == true)
            try FileManager.default.removeItem(atPath: dir.path(BackupManifest.fileName))
            let noManifest = #expect(throws: PipelineError.self) { try BackupManifest.verified(directory: root) }
            #expect(noManifest?.message.contains("manifest.json is missing") == true)
        }
    }
}
