import Foundation
import MemoryAPI
import Testing

@testable import Pipeline
@testable import Reading

@Suite struct ChatGPTCitationsTests {
    @Test func citationsGoEntitiesKeepTheirNames() throws {
        let cite = "\u{E200}cite\u{E202}turn0search1\u{E201}"
        let entity = "\u{E200}entity\u{E202}[\"city\",\"Oslo\",\"capital of Norway\"]\u{E201}"
        let text = "Rain in \(entity) today \(cite). Bring a \u{E203}jacket\u{E204}."
        #expect(ChatGPTCitations.clean(text, references: nil) == "Rain in Oslo today. Bring a jacket.")
    }

    @Test func aReferenceWithPlainAltIsReplacedByIt() throws {
        let marker = "\u{E200}product\u{E202}p1\u{E201}"
        let json = #"[{"matched_text":"\#(marker)","alt":"the Trek FX 3"}]"#
        let tape = try JSONTape(parsing: Data(json.utf8))
        #expect(
            ChatGPTCitations.clean("I ride \(marker) daily.", references: tape.root) == "I ride the Trek FX 3 daily.")
    }

    @Test func textWithoutMarkersIsUntouched() {
        let code = "def f():\n    return  1  # two spaces stay"
        #expect(ChatGPTCitations.clean(code, references: nil) == code)
    }
}
