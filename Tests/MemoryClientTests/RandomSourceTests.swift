import Testing

@testable import MemoryClient

struct RandomSourceTests {
    @Test func seededStreamsAreReproducibleAndDistinctPerCall() {
        var a = RandomSource.seeded(9).generator(call: 1)
        var b = RandomSource.seeded(9).generator(call: 1)
        var c = RandomSource.seeded(9).generator(call: 2)
        let xs = (0..<8).map { _ in a.next() }
        #expect(xs == (0..<8).map { _ in b.next() })
        #expect(xs != (0..<8).map { _ in c.next() })
    }

    @Test func splitMixIsSpreadOverTheUnitInterval() {
        var g = SplitMix64(seed: 1)
        var buckets = [Int](repeating: 0, count: 10)
        for _ in 0..<10_000 { buckets[Int(Double(g.next() >> 11) * 0x1p-53 * 10)] += 1 }
        #expect(buckets.allSatisfy { $0 > 800 && $0 < 1200 }, "\(buckets)")
    }

    @Test func systemSourceDraws() {
        var g = RandomSource.system.generator(call: 1)
        #expect(Set((0..<16).map { _ in g.next() }).count > 1)
    }
}
