import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A test hook: a place in the export loop where the process kills itself with SIGKILL, so the
/// crash tests can stop an export exactly between two steps that must not be separated (a page
/// written but not yet checkpointed, a file synced but its checkpoint not yet in the ledger, a
/// finished file renamed but the ledger not yet told).
///
/// `memport export` and `backup` read it from `MEMPORT_TEST_CRASH`, spelled `STEP:N` (the Nth
/// time the step is reached, 1-based), e.g. `after-sync:3`. Unset, it costs nothing.
public struct ExportCrashPoint: Sendable, Hashable {
    /// The steps.
    public enum Step: String, Sendable, Hashable, CaseIterable {
        /// A page's memories were handed to the writer; no checkpoint covers them yet.
        case afterWrite = "after-write"
        /// The file was flushed and fsynced; the ledger does not have the checkpoint yet.
        case afterSync = "after-sync"
        /// A finished file was renamed to its name; the ledger does not know yet.
        case afterRename = "after-rename"
    }

    /// Where.
    public var step: Step
    /// The how-manieth time the step is reached.
    public var occurrence: Int

    /// Creates a crash point.
    public init(step: Step, occurrence: Int) {
        self.step = step
        self.occurrence = occurrence
    }

    /// Parses `STEP:N`; nil for nil, empty or malformed text.
    public init?(_ text: String?) {
        guard let text, let colon = text.firstIndex(of: ":"), let step = Step(rawValue: String(text[..<colon])),
            let n = Int(text[text.index(after: colon)...]), n > 0
        else { return nil }
        self.init(step: step, occurrence: n)
    }
}

/// Counts the steps of one export run and kills the process at the crash point.
struct ExportCrashCounter {
    let point: ExportCrashPoint?
    private var seen: [ExportCrashPoint.Step: Int] = [:]

    init(_ point: ExportCrashPoint?) { self.point = point }

    mutating func reached(_ step: ExportCrashPoint.Step) {
        guard let point, point.step == step else { return }
        seen[step, default: 0] += 1
        if seen[step] == point.occurrence { kill(getpid(), SIGKILL) }
    }
}
