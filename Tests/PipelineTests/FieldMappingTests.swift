import Pipeline
import Reading
import Testing

@Suite struct FieldMappingTests {
    @Test func parsesPairsOverTheStandardMapping() throws {
        let m = try FieldMapping.parse("content=text, group=session ,metadata=a|b,role=")
        #expect(m.content == "text")
        #expect(m.group == "session")
        #expect(m.metadata == ["a", "b"])
        #expect(m.role == nil)
        #expect(m.userID == "user_id")
    }

    @Test func refusesUnknownKeysAndBarePairs() {
        #expect(throws: PipelineError.self) { try FieldMapping.parse("colour=red") }
        #expect(throws: PipelineError.self) { try FieldMapping.parse("content") }
    }
}
