import Foundation
import MemoryAPI
import Pipeline
import Reading
import Testing

@Suite struct DryRunSummaryTests {
    @Test func countsAndWritesTheRequiredKeys() throws {
        var summary = DryRunSummary(sampleLimit: 1)
        let reader = ImportReader(
            sources: [InputSource(Fixtures.sample("openai.jsonl")), InputSource(Fixtures.sample("generic.csv"))],
            options: Fixtures.options())
        while let event = reader.next() { summary.add(event) }
        summary.records = reader.recordCount
        #expect(summary.records == 7)
        #expect(summary.units == 5)
        #expect(summary.messages == 11)
        #expect(summary.rejectsByReason.isEmpty)
        #expect(summary.skippedByReason == ["system_turn": 1, "tool_turn": 1, "image_part": 1])
        #expect(summary.scopes["user=bob"]?.units == 1)
        #expect(summary.samplePayloads.count == 1)
        let json = try JSONValue.parse(summary.jsonData())
        for key in ["records", "units", "messages", "rejects", "rejects_by_reason", "scopes", "skipped_by_reason"] {
            #expect(json[key] != nil, "\(key)")
        }
        let text = summary.rendered()
        #expect(text.contains("detected"))
        #expect(text.contains("image_part: 1"))
    }
}
