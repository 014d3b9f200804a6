import Foundation
import MemoryAPI
import Reading

/// Compares two sides memory by memory: matched by origin id (`memport_source_id`, which
/// restore and migrate write, or the memory's own id), then by content.
///
/// The source side is held as comparable records (one per memory); the target side streams
/// past it. Each side's own counts are checked too (entity lists, listing counts, a backup's
/// source count): a side that holds memories it could not list is never identical.
public struct Verifier: Sendable {
    /// Opens a target spec (with the right key).
    public let open: @Sendable (String) throws -> any MemoryTarget

    /// Creates a verifier.
    public init(open: @escaping @Sendable (String) throws -> any MemoryTarget) { self.open = open }

    /// Compares `source` with `target`.
    ///
    /// - Throws: `PipelineError` or `MemoryAPIError` when a side cannot be read.
    public func compare(_ source: VerifySide, _ target: VerifySide) async throws -> VerifyReport {
        var report = VerifyReport(source: source.description, target: target.description)
        // Keyed by bytes: ids spelled in NFC and NFD are two memories.
        var expected: [ExactText: VerifyRecord] = [:]
        var seen: Set<ExactText> = []
        let sourceProblems = try await source.forEach(open: open) { memory in
            let record = VerifyRecord(memory)
            report.sourceCount += 1
            report.scopes[record.scope.label, default: (0, 0)].source += 1
            let key = ExactText(record.identity)
            if expected[key] != nil {
                report.extraCount += 1
                report.note(
                    \.extra,
                    .init(identity: record.identity, scope: record.scope.label, fields: ["duplicate in source"]))
            } else {
                expected[key] = record
            }
        }
        let targetProblems = try await target.forEach(open: open) { memory in
            let record = VerifyRecord(memory)
            report.targetCount += 1
            report.scopes[record.scope.label, default: (0, 0)].target += 1
            let key = ExactText(record.identity)
            guard let want = expected[key], !seen.contains(key) else {
                report.extraCount += 1
                report.note(\.extra, .init(identity: record.identity, scope: record.scope.label, fields: []))
                return
            }
            seen.insert(key)
            let fields = want.differences(from: record)
            if fields.isEmpty {
                report.matched += 1
            } else {
                report.changedCount += 1
                report.note(\.changed, .init(identity: record.identity, scope: want.scope.label, fields: fields))
            }
        }
        report.uncounted = sourceProblems.map { "source: " + $0 } + targetProblems.map { "target: " + $0 }
        for (key, record) in expected.sorted(by: { $0.key < $1.key }) where !seen.contains(key) {
            report.missingCount += 1
            report.note(\.missing, .init(identity: key.value, scope: record.scope.label, fields: []))
        }
        return report
    }
}
