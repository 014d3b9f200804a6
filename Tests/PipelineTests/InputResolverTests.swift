import Foundation
import Pipeline
import Reading
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

    /// What a directory walk leaves out is named: a symlinked folder, a FIFO, an unreadable folder.
    @Test func namesWhatADirectoryWalkLeavesOut() throws {
        let dir = try Fixtures.tempDir()
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent("in/sub"), withIntermediateDirectories: true)
        try fm.createDirectory(at: dir.appendingPathComponent("other"), withIntermediateDirectories: true)
        try Data("[]".utf8).write(to: dir.appendingPathComponent("in/sub/a.json"))
        try Data("[]".utf8).write(to: dir.appendingPathComponent("other/b.json"))
        try Data("[]".utf8).write(to: dir.appendingPathComponent("in/real.json"))
        try fm.createSymbolicLink(
            atPath: dir.appendingPathComponent("in/link").path,
            withDestinationPath: dir.appendingPathComponent("other").path)
        try fm.createSymbolicLink(
            atPath: dir.appendingPathComponent("in/file-link.json").path,
            withDestinationPath: dir.appendingPathComponent("other/b.json").path)
        #expect(mkfifo(dir.appendingPathComponent("in/pipe").path, 0o600) == 0)
        try fm.createDirectory(at: dir.appendingPathComponent("in/locked"), withIntermediateDirectories: true)
        try Data("[]".utf8).write(to: dir.appendingPathComponent("in/locked/c.json"))
        #expect(chmod(dir.appendingPathComponent("in/locked").path, 0) == 0)
        defer { _ = chmod(dir.appendingPathComponent("in/locked").path, 0o700) }
        var skipped: [SkippedInput] = []
        let listed = try InputResolver.resolve([dir.appendingPathComponent("in").path]) { skipped.append($0) }
        let names = listed.map { ($0.name as NSString).lastPathComponent }
        let skippedNames = skipped.map { ($0.path as NSString).lastPathComponent }
        #expect(skippedNames.contains("link") && skippedNames.contains("pipe"), "\(skipped)")
        #expect(names.contains("a.json") && names.contains("real.json") && names.contains("file-link.json"))
        #expect(!names.contains("b.json") && !names.contains("pipe"))
        // Root reads any folder; for anyone else the locked folder is named, not silently dropped.
        if getuid() != 0 {
            #expect(skippedNames.contains("locked") && !names.contains("c.json"), "\(skipped)")
        }
    }
}
