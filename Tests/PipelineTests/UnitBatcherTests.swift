import Testing

@testable import Pipeline
@testable import Reading

/// The batcher cuts the events into chunks: a short first one, so sending starts early, then
/// whole chunks; rejects count towards the bound so an input of rejects stays bounded.
@Suite struct UnitBatcherTests {
    static func units(_ n: Int, from start: Int = 0) -> [ImportEvent] {
        (start..<start + n).map { .unit(ImportStateMachineTests.unit($0)) }
    }

    static func sizes(chunkSize: Int, units count: Int) -> [Int] {
        var batcher = UnitBatcher(chunkSize: chunkSize)
        var sizes: [Int] = []
        for event in units(count) {
            if let batch = batcher.append(event, records: 0, bytes: 0, stored: 0) { sizes.append(batch.events.count) }
        }
        if !batcher.events.isEmpty { sizes.append(batcher.take(records: 0, bytes: 0, stored: 0).events.count) }
        return sizes
    }

    @Test func theFirstChunkIsShortThenChunksAreWhole() {
        #expect(Self.sizes(chunkSize: 1000, units: 2500) == [100, 1000, 1000, 400])
        #expect(Self.sizes(chunkSize: 250, units: 600) == [100, 250, 250])
        // A chunk size below the first chunk's bound is used from the start.
        #expect(Self.sizes(chunkSize: 40, units: 100) == [40, 40, 20])
    }

    @Test func rejectsAloneStillMakeBoundedBatches() {
        var batcher = UnitBatcher(chunkSize: 1000)
        var sizes: [Int] = []
        for i in 0..<1000 {
            let reject = ImportEvent.skipped(reason: "empty \(i)", count: 1)
            if let batch = batcher.append(reject, records: 0, bytes: 0, stored: 0) { sizes.append(batch.events.count) }
        }
        #expect(sizes.first == 400)
        #expect(sizes.dropFirst().allSatisfy { $0 == 4000 })
    }
}
