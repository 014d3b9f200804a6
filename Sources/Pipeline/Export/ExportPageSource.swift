/// What `Exporter` pages through: a target by its listings (`ExportPager`) or a self-hosted
/// store in its own key order (`StorePager`).
///
/// A source hands out pages strictly in order, each with the checkpoint `state` moved past it,
/// so the exporter can record `state` as soon as a page's memories are on the disk, and a pager
/// made from that state continues with the next page: nothing read twice, nothing skipped.
public protocol ExportPageSource: Sendable {
    /// Where the export stands after the last page handed out.
    var state: ExportCheckpoint { get set }
    /// The next page, `.end`, or `.interrupted` when the task is cancelled; other failures are thrown.
    mutating func nextUnlessCancelled() async throws -> ExportPager.Step
    /// Stops the reads running ahead (when the export stops early or ends).
    mutating func cancel()
}

extension ExportPager: ExportPageSource {}
