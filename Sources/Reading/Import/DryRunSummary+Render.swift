import Foundation
import MemoryAPI

extension DryRunSummary {
    /// The summary as text for a terminal: detections, counts, scopes, rejects and samples.
    public func rendered() -> String {
        var lines: [String] = []
        for file in files { lines.append("detected \(file)") }
        lines.append("")
        lines.append("records   \(records)")
        lines.append("units     \(units) (\(addUnits) adds, \(batchUpdateItems) batch-update items)")
        lines.append("messages  \(messages)")
        lines.append("rejects   \(rejects)")
        for (reason, count) in rejectsByReason.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(reason): \(count)")
        }
        if !skippedByReason.isEmpty {
            lines.append("skipped (by rule)")
            for (reason, count) in skippedByReason.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(reason): \(count)")
            }
        }
        let scopes = self.scopes
        if !scopes.isEmpty {
            lines.append("scopes")
            let shown = scopes.sorted { $0.key < $1.key }
            for (label, count) in shown.prefix(20) {
                let origin = scopeOrigins[label].map { " (\($0))" } ?? ""
                lines.append("  \(label): \(count.units) units, \(count.messages) messages\(origin)")
            }
            if shown.count > 20 { lines.append("  … and \(shown.count - 20) more") }
        }
        if !sampleRejects.isEmpty {
            lines.append("first rejects")
            for reject in sampleRejects { lines.append("  \(reject)") }
        }
        if !samplePayloads.isEmpty {
            lines.append("first payloads")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            for payload in samplePayloads {
                let text = (try? encoder.encode(payload)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
                lines.append(text)
            }
        }
        return lines.joined(separator: "\n")
    }
}
