import Foundation
import MemoryAPI
import Testing

@testable import Pipeline

@Suite struct PipelineSpecTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func everyShippedPipelineParses() throws {
        let dir = Self.root.appendingPathComponent("pipelines")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.contains("quickstart.yaml") && files.count >= 7)
        for file in files {
            let spec = try PipelineSpec.load(path: dir.appendingPathComponent(file).path)
            #expect(!spec.sources.isEmpty, "\(file)")
        }
    }

    @Test func aFullFileMapsOntoTheFlags() throws {
        let spec = try PipelineSpec.parse(
            yaml: """
                source: [a.jsonl, "b.csv"]
                preset: generic
                format: csv
                mapping: {content: text, user_id: uid, metadata: [lang, topic]}
                csv_columns: [uid, text]
                operation: add
                target: http://127.0.0.1:9/prefix
                options:
                  user_id: u
                  run_id: r
                  org_id: o
                  project_id: p
                  infer: true
                  max_messages: 10
                  chunk_size: 500
                  concurrency: 4
                  rate: 600
                  api_version: v1
                  fail_on_rejects: true
                """, file: "p.yaml")
        #expect(spec.sources == ["a.jsonl", "b.csv"] && spec.preset == .generic && spec.format == .csv)
        #expect(spec.scope == Scope(userID: "u", runID: "r") && spec.orgID == "o" && spec.projectID == "p")
        #expect(spec.infer && spec.maxMessages == 10 && spec.chunkSize == 500 && spec.concurrency == 4)
        #expect(spec.rate == 600 && spec.apiVersion == "v1" && spec.failOnRejects)
        let mapping = try spec.fieldMapping()
        #expect(mapping.content == "text" && mapping.userID == "uid" && mapping.metadata == ["lang", "topic"])
    }

    @Test func theJobIDIgnoresSpeedButNotContent() {
        var a = PipelineSpec(sources: ["x"])
        let id = a.jobID(resolvedSources: ["/abs/x"])
        a.concurrency = 32
        a.chunkSize = 10
        a.rate = 100
        #expect(a.jobID(resolvedSources: ["/abs/x"]) == id)
        a.scope = Scope(userID: "other")
        #expect(a.jobID(resolvedSources: ["/abs/x"]) != id)
        #expect(PipelineSpec(sources: ["x"]).jobID(resolvedSources: ["/abs/y"]) != id)
    }

    /// A bad file is a clear error naming the file, the line and the problem.
    @Test(arguments: [
        ("source: a.jsonl\nsorce: b\n", "line 2, column 1: unknown key 'sorce'"),
        ("source: a.jsonl\noptions:\n  chunk_size: many\n", "line 3, column 15: chunk_size must be a whole number"),
        ("source: a.jsonl\noptions:\n  infer: maybe\n", "line 3, column 10: infer must be true or false"),
        ("source: a.jsonl\npreset: whatsapp\n", "line 2, column 9: preset must be one of"),
        ("source: a.jsonl\noptions:\n  colour: red\n", "line 3, column 3: unknown option 'colour'"),
        ("source: [a.jsonl\ntarget: x\n", "line 2"),
        ("source: a.jsonl\noptions:\n  chunk_size: 5000\n", "chunk_size must be 1 to 1000"),
        ("source: a.jsonl\ntarget: ftp://x\n", "target must be embedded:PATH or an http(s):// URL"),
        ("preset: openai\n", "'source' is required"),
        ("- a\n- b\n", "a pipeline file is a mapping"),
        ("source: a.jsonl\nmapping: {colour: red}\n", "unknown mapping key 'colour'"),
    ])
    func badFilesNameTheLine(yaml: String, expected: String) {
        let error = #expect(throws: PipelineError.self) { try PipelineSpec.parse(yaml: yaml, file: "bad.yaml") }
        #expect(error?.code == .pipelineFile)
        #expect(error?.message.hasPrefix("bad.yaml: ") == true)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }
}
