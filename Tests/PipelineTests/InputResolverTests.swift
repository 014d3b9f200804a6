import Foundation
import Pipeline
import Testing

@Suite struct InputResolverTests {
    @Test func expandsDirectoriesAndGlobsSorted() throws {
        let dir = try Fixtures.tempDir()
        for name in ["b.json", "a.json", "c.csv", ".hidden"] {
            try Data("[]".utf8).write(to: dir.appendingPathComponent(name))
        }
        let listed = try InputResolver.resolve([dir.path]).map { ($0.name as NSString).lastPathComponent }
        #expect(listed == ["a.json", "b.json", "c.csv"])
        let globbed = try InputResolver.resolve([dir.path + "/*.json", "-"]).map {
            ($0.name as NSString).lastPathComponent
        }
        #expect(globbed == ["a.json", "b.json", "-"])
    }

    @Test func nothingMatchingIsInputNotFound() {
        #expect { try InputResolver.resolve(["/nonexistent/*.json"]) } throws: {
            ($0 as? PipelineError)?.code == .inputNotFound
        }
    }
}
