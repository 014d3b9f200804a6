import Testing

@testable import Pipeline

@Suite struct BatchBisectorTests {
    /// Runs the bisector against a target that refuses any slice containing a bad index.
    func isolate(count: Int, bad: Set<Int>) -> BatchBisector {
        var b = BatchBisector(count: count)
        while let range = b.next() {
            b.report(range, accepted: !range.contains { bad.contains($0) })
        }
        return b
    }

    @Test func aCleanBatchTakesOneCall() {
        let b = isolate(count: 1000, bad: [])
        #expect(b.calls == 1 && b.rejected.isEmpty && b.accepted == [0..<1000])
    }

    @Test func isolatesEveryBadItemAndAcceptsAllOthers() {
        for bad: Set<Int> in [[0], [999], [500], [3, 4], [0, 999], [1, 2, 3, 500, 998], Set(0..<10)] {
            let b = isolate(count: 1000, bad: bad)
            #expect(Set(b.rejected) == bad)
            let acceptedCount = b.accepted.reduce(0) { $0 + $1.count }
            #expect(acceptedCount + b.rejected.count == 1000, "every item decided once")
            #expect(b.isDone)
        }
    }

    @Test func oneBadItemCostsAboutTwoLogNCalls() {
        let b = isolate(count: 1000, bad: [617])
        #expect(b.calls <= 2 * 10 + 1)
    }

    @Test func emptyBatchIsDone() {
        var b = BatchBisector(count: 0)
        #expect(b.next() == nil && b.isDone)
    }
}
