import Foundation
import MemoryAPI
import Reading
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
        #expect(spec.rate == .perMinute(600) && spec.apiVersion == .v1 && spec.failOnRejects)
        let mapping = try spec.fieldMapping()
        #expect(mapping.content == "text" && mapping.userID == "uid" && mapping.metadata == ["lang", "topic"])
    }

    @Test func theJobIDIgnoresSpeedButNotContent() {
        var a = PipelineSpec(sources: ["x"])
        let id = a.jobID(resolvedSources: ["/abs/x"])
        a.concurrency = 32
        a.chunkSize = 10
        a.rate = .perMinute(100)
        a.workers = 4
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

    /// The target is parsed once into an enum, the rate has an explicit unpaced case, and the
    /// API version is an enum: a bad one is refused, never silently v3.
    @Test func theSpecIsTyped() throws {
        #expect(try TargetSpec("embedded:./m.db") == .embedded(path: "./m.db"))
        #expect(try TargetSpec("http://127.0.0.1:9/p") == .http(URL(string: "http://127.0.0.1:9/p")!))
        #expect(throws: PipelineError.self) { try TargetSpec("embedded:") }
        #expect(throws: PipelineError.self) { try TargetSpec("ftp://x") }
        #expect(try Rate(requestsPerMinute: 0) == .unpaced)
        #expect(try Rate(requestsPerMinute: 60) == .perMinute(60))
        #expect(throws: PipelineError.self) { try Rate(requestsPerMinute: -1) }
        let spec = try PipelineSpec.parse(
            yaml: "source: a\ntarget: embedded:x.db\noptions: {rate: 0, api_version: v2, workers: 3}\n", file: "p.yaml")
        #expect(spec.rate == .unpaced && spec.apiVersion == .v2 && spec.workers == 3)
        #expect(spec.target == .embedded(path: "x.db"))
        #expect(PipelineSpec(sources: ["a"]).rate == nil, "absent: the target's default")
        let bad = #expect(throws: PipelineError.self) {
            try PipelineSpec.parse(yaml: "source: a\noptions: {api_version: v9}\n", file: "p.yaml")
        }
        #expect(bad?.message.contains("api_version must be one of v1, v2, v3") == true, "\(bad?.message ?? "")")
        let zero = #expect(throws: PipelineError.self) {
            try PipelineSpec.parse(yaml: "source: a\noptions: {max_record_mib: 0}\n", file: "p.yaml")
        }
        #expect(zero?.message.contains("max_record_mib must be 1") == true)
    }

    /// A spec round-trips through the ledger's JSON, and keeps the job ids of earlier versions.
    @Test func theRecordedSpecRoundTripsAndJobIDsKeepTheirSpelling() throws {
        var spec = PipelineSpec(sources: ["a"], target: .embedded(path: "/x.db"), rate: .unpaced, apiVersion: .v1)
        spec.workers = 2
        let data = try JSONEncoder().encode(spec)
        #expect(try JSONDecoder().decode(PipelineSpec.self, from: data) == spec)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"target\":\"embedded:\\/x.db\"") && text.contains("\"rate\":0"), "\(text)")
        // The id of `memport import a --user-id u` as memport 0.1.0 computed it.
        let old = PipelineSpec(sources: ["a"], scope: Scope(userID: "u"), maxAddBytes: 262_144, maxRecordMiB: 64)
        #expect(old.jobID(resolvedSources: ["/abs/a"]) == PipelineSpecTests.legacyJobID)
    }

    static let legacyJobID = "job-91f875261cb0"
}
