import Foundation
import MemoryAPI
import Pipeline
import Reading
import Testing

@Suite struct LoCoMoAdapterTests {
    @Test func eachSampleIsImportedOncePerSpeaker() throws {
        let run = Fixtures.run([Fixtures.sample("locomo.json")], Fixtures.options(user: nil))
        #expect(run.reports.first?.preset == .locomo)
        let users = run.adds.map { $0.scope.userID ?? "" }
        #expect(users == ["Caroline_0", "Caroline_0", "Melanie_0", "Melanie_0", "Caroline_0", "Melanie_0"])
        let caroline = run.adds[0]
        #expect(caroline.messages.count == 2)
        #expect(
            caroline.messages[0]
                == Message(role: .user, text: "Caroline: Hey Mel! I went to an LGBTQ support group yesterday."))
        #expect(
            caroline.messages[1] == Message(role: .assistant, text: "Melanie: That's great, Caroline! How did it go?"))
        let melanie = run.adds[2]
        #expect(melanie.messages[0].role == .assistant)
        #expect(melanie.messages[1].role == .user)
        #expect(caroline.timestamp == 1_683_554_160)
        #expect(run.adds[4].timestamp == LoCoMoDate.parse("7:55 pm on 25 May, 2023"))
        #expect(caroline.metadata?["timestamp"] == "1:56 pm on 8 May, 2023")
        #expect(run.units[0].locator.messageIDs == ["D1:1", "D1:2"])
    }
}
