import Foundation
import Pipeline
import Synchronization

/// Renders engine progress on stderr: a live bar on a terminal, a plain line every few seconds
/// otherwise, or one JSON object per update for machines.
final class ProgressDisplay: Sendable {
    private let mode: ProgressMode
    private let isTerminal: Bool
    private let lastPlain = Mutex<Double>(-1)

    init(mode: ProgressMode) {
        self.mode = mode
        isTerminal = isatty(STDERR_FILENO) == 1
    }

    func update(_ p: ImportProgress) {
        switch mode {
        case .none: return
        case .json:
            var line: [String: Any] = [
                "records": p.records, "units": p.units, "confirmed": p.confirmed, "skipped_existing": p.skippedExisting,
                "in_flight": p.inFlight, "rejects": p.rejects, "deferred": p.deferred, "retries": p.retries,
                "bytes_read": p.bytesRead, "source_bytes_read": p.sourceBytesRead,
                "elapsed_s": (p.elapsed * 1000).rounded() / 1000,
            ]
            if let total = p.bytesTotal { line["bytes_total"] = total }
            if let eta = p.eta { line["eta_s"] = eta.rounded() }
            if let data = try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]) {
                write(String(decoding: data, as: UTF8.self) + "\n")
            }
        case .auto where isTerminal:
            write("\r\u{1B}[2K" + bar(p))
        case .auto, .plain:
            let due = lastPlain.withLock { last -> Bool in
                if last >= 0 && p.elapsed - last < 5 { return false }
                last = p.elapsed
                return true
            }
            if due { write(Self.line(p) + "\n") }
        }
    }

    func done() {
        if mode == .auto && isTerminal { write("\r\u{1B}[2K") }
    }

    func note(_ text: String) {
        guard mode != .none else { return }
        if mode == .auto && isTerminal { write("\r\u{1B}[2K") }
        write(text + "\n")
    }

    /// A warning: shown whatever the progress mode (only the live bar is cleared first).
    func warn(_ text: String) {
        if mode == .auto && isTerminal { write("\r\u{1B}[2K") }
        write(text + "\n")
    }

    /// The live bar: the share of the inputs consumed (compressed bytes for gzip, against their
    /// size on disk), the counts, and the ETA.
    func bar(_ p: ImportProgress) -> String {
        var text = ""
        if let fraction = p.fraction {
            let filled = Int(fraction * 20)
            text += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled) + "] "
            text += String(format: "%3.0f%% ", fraction * 100)
        }
        text += Self.line(p)
        if let eta = p.eta { text += String(format: "  ETA %.0fs", eta) }
        return text
    }

    static func line(_ p: ImportProgress) -> String {
        String(
            format: "confirmed %d  in flight %d  rejected %d  skipped %d  %.1f units/s  %.1fs", p.confirmed,
            max(p.inFlight, 0), p.rejects, p.skippedExisting, p.rate, p.elapsed)
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
