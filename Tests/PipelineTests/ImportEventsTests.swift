import Foundation
import Pipeline
import Reading
import Testing

@Suite struct ImportEventsTests {
    @Test func asyncSequenceYieldsTheSameEventsInOrder() async throws {
        let paths = [Fixtures.sample("openai.jsonl"), Fixtures.sample("chatgpt.json.gz")]
        let options = Fixtures.options()
        var keys: [String] = []
        var rejects = 0
        for await event in ImportEvents(sources: paths.map(InputSource.init), options: options) {
            switch event {
            case .unit(let unit): keys.append(unit.importKey)
            case .reject: rejects += 1
            default: break
            }
        }
        let sync = Fixtures.run(paths, options)
        #expect(keys == sync.units.map(\.importKey))
        #expect(rejects == sync.rejects.count)
        #expect(keys.count == 5)
    }

    @Test func parallelAndSingleWorkerRunsAreIdentical() throws {
        let paths = [Fixtures.shared("sharegpt-fastchat-dummy.json"), Fixtures.sample("openai.jsonl.gz")]
        let one = Fixtures.run(paths, Fixtures.options { $0.workers = 1 })
        let four = Fixtures.run(paths, Fixtures.options { $0.workers = 4 })
        #expect(one.units == four.units)
        #expect(one.rejects == four.rejects)
        #expect(one.records == four.records)
    }
}
