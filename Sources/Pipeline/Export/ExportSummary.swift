import Foundation

/// What an export did: the files written, the counts, and whether the server's count matched.
public struct ExportSummary: Sendable, Hashable {
    /// The export's id in the ledger.
    public var exportID: String
    /// The source, without secrets.
    public var target: String
    /// The output path (a directory when split).
    public var output: String
    /// The directory the files are in.
    public var directory: String
    /// The final checkpoint: files, counts.
    public var state: ExportCheckpoint
    /// True when the run continued an interrupted export.
    public var resumed: Bool
    /// True when the run was interrupted and checkpointed.
    public var interrupted: Bool
    /// Seconds this run took.
    public var elapsed: Double

    /// Creates a summary.
    public init(
        exportID: String, target: String, output: String, directory: String, state: ExportCheckpoint, resumed: Bool,
        interrupted: Bool, elapsed: Double
    ) {
        self.exportID = exportID
        self.target = target
        self.output = output
        self.directory = directory
        self.state = state
        self.resumed = resumed
        self.interrupted = interrupted
        self.elapsed = elapsed
    }

    /// True when the memories read differ from the counts the server reported: memories were
    /// added or deleted while the export ran.
    public var countMismatch: Bool { state.read != state.serverCount }

    /// The memories the source said it holds but the export did not write, when it said and
    /// the export finished: memories its listings could not reach, or deleted while it ran.
    public var unwritten: Int? {
        guard !interrupted, let total = state.serverTotal, total > state.written else { return nil }
        return total - state.written
    }

    /// The summary as lines of text.
    public func rendered() -> String {
        var lines: [String] = []
        let status =
            !interrupted
            ? "finished"
            : output == "-" || AtomicFile.isStream(output)
                ? "interrupted (a stream output cannot be resumed: run the command again)"
                : "interrupted; checkpointed (run the same command to continue)"
        lines.append("export \(exportID) of \(target) → \(output): \(status)\(resumed ? " (resumed)" : "")")
        lines.append(
            "  written \(state.written)  files \(state.files.count)  passes \(state.passes.count)"
                + String(format: "  elapsed %.2fs", elapsed))
        if state.duplicates > 0 {
            lines.append("  \(state.duplicates) memories seen twice on shifted pages were written once")
        }
        if let total = state.serverTotal {
            lines.append("  the source counted \(total) memories when the export started")
        }
        if let merged = state.mergedTotal {
            lines.append(
                "  \(merged) of them are records Mem0's Dream merged into others, which default reads hide; "
                    + "they are exported with their lifecycle_state and replaced_by")
        }
        if let unwritten {
            lines.append(
                "  warning: \(unwritten) of the source's memories were not written: its listings did not reach "
                    + "them, or they were deleted during the export")
        }
        if let points = state.notMemories, points > 0 {
            lines.append(
                "  warning: \(points) \(points == 1 ? "point of the store is no memory" : "points of the store are no memories")"
                    + " and \(points == 1 ? "was" : "were") not written:")
            for named in state.namedNotMemories ?? [] { lines.append("    \(named)") }
            if points > (state.namedNotMemories?.count ?? 0) {
                lines.append("    … and \(points - (state.namedNotMemories?.count ?? 0)) more")
            }
        }
        if countMismatch && !interrupted {
            lines.append(
                "  warning: the server counted \(state.serverCount) memories but \(state.read) were read: "
                    + "memories were added or deleted during the export")
        }
        return lines.joined(separator: "\n")
    }
}
