import Foundation
import MemoryAPI
import Reading

/// `memport restore DIR --target T`: checks the backup's manifest and every file's SHA-256
/// first (refusing a missing or corrupted file, naming it), then imports the memories with the
/// `mem0` preset: scope, metadata, immutable, expiration_date and `created_at` (as `timestamp`,
/// to the second) preserved.
///
/// In `add` mode the import keys make a second restore a no-op. In `upsert` mode a memory the
/// target already holds (the same id, or a memory restored from it, found by its
/// `memport_source_id`) is updated by `batch_update` (up to 1000 items per call) and the
/// rest are added.
public struct Restore: Sendable {
    /// How memories the target already holds are treated.
    public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
        /// Add every memory; import keys make it idempotent.
        case add
        /// Update memories the target holds, add the rest.
        case upsert
    }

    /// The job runner (state directory, key variable, environment).
    public let jobs: ImportJob

    /// Creates a restore runner.
    public init(jobs: ImportJob) { self.jobs = jobs }

    /// Restores a backup directory.
    ///
    /// - Parameter template: the target and delivery options (sources, preset and operation are set here).
    /// - Returns: one summary per job run (`add`: one; `upsert`: updates, then adds).
    /// - Throws: `PipelineError` `.corruptBackup` before anything is imported when the backup is damaged.
    public func run(
        directory: String, template: PipelineSpec, mode: Mode,
        progress: @escaping @Sendable (ImportProgress) -> Void = { _ in }
    ) async throws -> [ImportSummary] {
        let root = URL(fileURLWithPath: directory).standardizedFileURL.path
        let manifest = try BackupManifest.verified(directory: root)
        var spec = template
        spec.sources = manifest.files.map { root + "/" + $0.name }
        spec.format = manifest.format == .csv ? .csv : manifest.format == .json ? .json : .ndjson
        spec.preset = .mem0
        spec.operation = .add
        spec.infer = false
        switch mode {
        case .add:
            guard !spec.sources.isEmpty else { return [] }
            return [try await jobs.run(spec, progress: progress)]
        case .upsert:
            return try await upsert(spec, progress: progress)
        }
    }

    private func upsert(
        _ spec: PipelineSpec, progress: @escaping @Sendable (ImportProgress) -> Void
    ) async throws -> [ImportSummary] {
        guard !spec.sources.isEmpty else { return [] }
        let target = try jobs.open(spec)
        // The ids the target holds, by the id they had at their origin: O(memories) strings.
        var existing: [ExactText: String] = [:]
        do {
            var pager = ExportPager(target: target, state: try await ExportPager.start(target: target, filters: nil))
            while let next = try await pager.next() {
                for m in next.memories {
                    existing[ExactText(m.id)] = m.id
                    if case .string(let origin) = m.metadata?[Mem0DumpAdapter.sourceIDField] {
                        existing[ExactText(origin)] = m.id
                    }
                }
            }
        } catch {
            await target.close()
            throw error
        }
        await target.close()
        let held = existing
        @Sendable func origin(_ unit: ImportUnit) -> String? {
            guard case .add(let request) = unit.payload,
                case .string(let id) = request.metadata?[Mem0DumpAdapter.sourceIDField]
            else { return nil }
            return id
        }
        var updates = spec
        updates.operation = .update
        let updateSummary = try await jobs.run(
            updates, variant: "upsert-update",
            transform: { unit in
                guard let id = origin(unit), let targetID = held[ExactText(id)], case .add(let request) = unit.payload
                else {
                    return nil
                }
                var u = unit
                u.importKey = SHA256.hex(unit.importKey + "\u{1E}update\u{1E}" + targetID)
                u.payload = .batchUpdate(
                    BatchUpdateItem(
                        memoryID: targetID, text: request.messages.first?.content.text, metadata: request.metadata))
                return u
            }, progress: progress)
        let addSummary = try await jobs.run(
            spec, variant: "upsert-add",
            transform: { unit in origin(unit).flatMap { held[ExactText($0)] } == nil ? unit : nil },
            progress: progress)
        return [updateSummary, addSummary]
    }
}
