import Foundation
import MemoryAPI
import Pipeline
import Reading
import Testing

@Suite struct GenericAdapterTests {
    @Test func csvRowsAreGroupedByConversation() throws {
        let run = Fixtures.run([Fixtures.sample("generic.csv")], Fixtures.options(user: nil))
        #expect(run.adds.count == 2)
        #expect(run.adds[0].scope == Scope(userID: "dave"))
        #expect(run.adds[0].messages.map(\.role) == [.user, .assistant, .user])
        #expect(run.adds[0].messages[2].content.text == "Thanks. Also, please use my new address:\r\n12 Elm Street")
        #expect(run.adds[0].timestamp == 1_714_564_800)
        #expect(run.adds[1].messages.first?.content.text == "I prefer \"express\" shipping.")
        #expect(run.units[0].locator.conversationID == "support-1")
    }

    @Test func declaredMappingOverJSONLines() throws {
        let mapping = try FieldMapping.parse(
            "role=speaker,content=text,user_id=uid,group=session,timestamp=ts,metadata=lang")
        let run = Fixtures.run(
            [Fixtures.sample("generic.jsonl")],
            Fixtures.options(user: nil, preset: .generic) { $0.adapter.mapping = mapping })
        #expect(run.adds.count == 2)
        #expect(run.adds[0].messages.count == 2)
        #expect(run.adds[0].metadata?["lang"] == "en")
        #expect(run.adds[1].scope == Scope(userID: "gina"))
        #expect(run.adds[1].timestamp == 1_717_100_000)
    }

    @Test func wrongTypeNamesTheField() throws {
        let path = try Fixtures.write(
            #"{"content":"ok","user_id":"u"}"# + "\n" + #"{"content":{"nested":true},"user_id":"u"}"#, name: "g.jsonl")
        let run = Fixtures.run([path], Fixtures.options(preset: .generic))
        #expect(run.texts == ["ok"])
        #expect(run.rejects.first?.reason == .wrongType)
        #expect(run.rejects.first?.path == "content")
        #expect(run.rejects.first?.locator.line == 2)
    }
}
