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

    /// Scopes are counted by `Scope` and labelled when read: the labels, the JSON and a summary
    /// read back from it give the same counts.
    @Test func scopesAreLabelledWhenReadAndSurviveARoundTrip() throws {
        var summary = DryRunSummary()
        let reader = ImportReader(sources: [InputSource(Fixtures.sample("openai.jsonl"))], options: Fixtures.options())
        while let event = reader.next() { summary.add(event) }
        let scopes = summary.scopes
        #expect(scopes.values.reduce(0) { $0 + $1.units } == summary.addUnits)
        #expect(scopes.values.reduce(0) { $0 + $1.messages } == summary.messages)
        #expect(scopes["user=bob"]?.units == 1)
        let decoded = try JSONDecoder().decode(DryRunSummary.self, from: summary.jsonData())
        #expect(decoded.scopes == scopes)
        #expect(decoded.units == summary.units && decoded.skippedByReason == summary.skippedByReason)
        #expect(try decoded.jsonData() == summary.jsonData())
    }
}
