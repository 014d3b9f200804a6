/// Isolates the bad items of a refused batch by splitting it in halves (DESIGN invariant 4).
///
/// A pure state machine: it says which slice of the batch to send next; the runner reports
/// whether the target took it. A slice refused with a 4xx is split until single items remain;
/// a refused single item is rejected, and every other item still goes through.
///
/// ```swift
/// var b = BatchBisector(count: items.count)
/// while let range = b.next() { b.report(range, accepted: try? send(items[range]) != nil) }
/// b.rejected   // indices of the bad items
/// ```
public struct BatchBisector: Sendable, Hashable {
    /// Slices still to send, in order.
    public private(set) var queue: [Range<Int>]
    /// Indices the target accepted.
    public private(set) var accepted: [Range<Int>] = []
    /// Indices isolated as bad.
    public private(set) var rejected: [Int] = []
    /// Calls made so far.
    public private(set) var calls = 0

    /// Starts with the whole batch of `count` items.
    public init(count: Int) {
        queue = count > 0 ? [0..<count] : []
    }

    /// The next slice to send, or nil when done.
    public mutating func next() -> Range<Int>? {
        guard !queue.isEmpty else { return nil }
        calls += 1
        return queue.removeFirst()
    }

    /// Reports the target's answer for a slice `next()` returned.
    public mutating func report(_ range: Range<Int>, accepted ok: Bool) {
        if ok {
            accepted.append(range)
        } else if range.count == 1 {
            rejected.append(range.lowerBound)
        } else {
            let mid = range.lowerBound + range.count / 2
            queue.insert(contentsOf: [range.lowerBound..<mid, mid..<range.upperBound], at: 0)
        }
    }

    /// `true` when every item is accepted or rejected.
    public var isDone: Bool { queue.isEmpty }
}
