import MemoryAPI

/// What `Exporter` pages through: a target by its listings (`ExportPager`) or a self-hosted
/// store in its own key order (`StorePager`).
///
/// A source hands out pages strictly in order, each with the checkpoint `state` moved past it,
/// so the exporter can record `state` as soon as a page's memories are on the disk, and a pager
/// made from that state continues with the next page: nothing read twice, nothing skipped.
public protocol ExportPageSource: Sendable {
    /// Where the export stands after the last page handed out.
    var state: ExportCheckpoint { get set }
    /// The next page's memories to write, with the pass they belong to; nil at the end.
    mutating func next() async throws -> (pass: ExportPass, memories: [Memory])?
    /// Stops the reads running ahead (when the export stops early or ends).
    mutating func cancel()
}

extension ExportPageSource {
    /// The next page, `.end`, or `.interrupted` when the task is cancelled before or during the
    /// read; other failures are thrown.
    public mutating func nextUnlessCancelled() async throws -> ExportPager.Step {
        if Task.isCancelled { return .interrupted }
        do {
            guard let (pass, memories) = try await next() else { return .end }
            return .page(pass: pass, memories: memories)
        } catch  where Task.isCancelled {
            return .interrupted
        }
    }
}

extension ExportPager: ExportPageSource {}
