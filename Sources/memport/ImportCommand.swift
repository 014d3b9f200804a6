import ArgumentParser
import Foundation
import MemoryAPI
import Pipeline

/// `memport import FILE... --dry-run`: reads and maps inputs into units without a target.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import chat transcripts and memory dumps as scoped memories.",
        discussion: """
            Reads files, globs, directories or stdin (-), gzip detected by its magic bytes; formats \
            NDJSON, JSON (arrays streamed element by element, objects, Mem0 pages) and CSV; presets \
            openai, sharegpt, chatgpt, claude, locomo, mem0 and generic, detected from the first record. \
            With --dry-run, parses and maps everything and prints what would be sent.
            """
    )

    @Argument(help: "Files, globs or directories to read; - reads stdin.")
    var files: [String]

    @Option(help: "The container: ndjson, json or csv (default: detected per file).")
    var format: InputFormat?

    @Option(help: "The adapter: openai, sharegpt, chatgpt, claude, locomo, mem0 or generic (default: detected).")
    var preset: ImportPreset?

    @Option(name: .customLong("user-id"), help: "user_id for records that carry no scope of their own.")
    var userID: String?

    @Option(name: .customLong("agent-id"), help: "agent_id for records that carry no scope of their own.")
    var agentID: String?

    @Option(name: .customLong("run-id"), help: "run_id for records that carry no scope of their own.")
    var runID: String?

    @Option(name: .customLong("app-id"), help: "app_id for records that carry no scope of their own.")
    var appID: String?

    @Flag(help: "Let the target extract memories (infer=true); by default messages are stored verbatim.")
    var infer = false

    @Option(help: "The most messages per add (default 50; LoCoMo 2, as Mem0's evaluation).")
    var maxMessages: Int?

    @Option(help: "The most bytes of message text per add.")
    var maxAddBytes = 256 * 1024

    @Option(help: "A record larger than this many MiB is a reject.")
    var maxRecordMib = 64

    @Flag(help: "ChatGPT: import every branch, not only the active one.")
    var allBranches = false

    @Flag(help: "Claude: append the extracted text of attachments.")
    var attachments = false

    @Flag(help: "OpenMemory: import memories whose state is archived, paused or deleted too.")
    var includeArchived = false

    @Flag(help: "OpenMemory: the memory's app name becomes its app_id.")
    var appIdFromApp = false

    @Option(help: "Mem0 dumps: add (restore as new memories) or update (batch_update by id).")
    var mem0Mode: Mem0DumpMode = .add

    @Option(help: "Generic field mapping, e.g. role=speaker,content=text,user_id=uid,group=session,metadata=a|b.")
    var map: String?

    @Option(help: "CSV column names, comma-separated, for files without a header row.")
    var columns: String?

    @Option(help: "Threads that map records in parallel, in ordered batches (default 1).")
    var workers: Int?

    @Flag(help: "Parse and map everything without touching a target.")
    var dryRun = false

    @Option(help: "Write the dry-run summary as JSON to this file.")
    var summaryJson: String?

    @Option(help: "How many rendered payloads and rejects to show.")
    var show = 3

    @Option(help: "add, update (batch_update by id) or delete (batch_delete by id); update and delete take Mem0 dumps.")
    var operation: PipelineSpec.Operation?

    @OptionGroup var job: JobOptions

    func run() async throws {
        guard dryRun else {
            try await deliver()
            return
        }
        guard maxMessages.map({ $0 >= 1 }) ?? true, workers.map({ $0 >= 1 }) ?? true, maxAddBytes >= 1,
            maxRecordMib >= 1, show >= 0
        else {
            FileHandle.standardError.write(Data("memport: limits must be positive\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        let mapping: FieldMapping
        do {
            mapping = try map.map(FieldMapping.parse) ?? .standard
        } catch let error as PipelineError {
            FileHandle.standardError.write(Data("memport: --map: \(error.message)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        let sources: [InputSource]
        do {
            sources = try InputResolver.resolve(files)
        } catch let error as PipelineError {
            FileHandle.standardError.write(Data("memport: \(error.message)\n".utf8))
            throw ExitCode(error.code == .inputNotFound ? ExitStatus.inputNotFound : ExitStatus.failure)
        }
        var options = ImportOptions(
            format: format, preset: preset,
            adapter: AdapterOptions(
                defaultScope: Scope(userID: userID, agentID: agentID, appID: appID, runID: runID), infer: infer,
                maxMessagesPerAdd: maxMessages, maxAddBytes: maxAddBytes, allBranches: allBranches,
                includeAttachments: attachments, mem0Mode: mem0Mode, mapping: mapping),
            maxRecordBytes: maxRecordMib << 20,
            csvColumns: columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } })

        if let workers { options.workers = workers }
        options.adapter.includeArchived = includeArchived
        options.adapter.appIDFromApp = appIdFromApp
        var summary = DryRunSummary(sampleLimit: show)
        let reader = ImportReader(sources: sources, options: options)
        while let event = reader.next() { summary.add(event) }
        summary.records = reader.recordCount
        summary.inputBytes = reader.uncompressedBytes

        print(summary.rendered())
        if let path = summaryJson {
            do {
                try summary.jsonData().write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                FileHandle.standardError.write(Data("memport: cannot write \(path): \(error)\n".utf8))
                throw ExitCode(ExitStatus.failure)
            }
        }
        if !summary.failedSources.isEmpty {
            FileHandle.standardError.write(
                Data("memport: cannot read \(summary.failedSources.joined(separator: ", "))\n".utf8))
            throw ExitCode(ExitStatus.inputNotFound)
        }
    }
}

extension ImportCommand {
    /// The spec the flags describe.
    func spec() -> PipelineSpec {
        var mapping: [String: String]?
        if let map {
            mapping = [:]
            for pair in map.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                mapping?[parts[0]] = parts.count > 1 ? parts[1] : ""
            }
        }
        var spec = PipelineSpec(
            sources: files, format: format, preset: preset, mapping: mapping,
            csvColumns: columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } },
            operation: operation ?? (mem0Mode == .update ? .update : .add),
            scope: Scope(userID: userID, agentID: agentID, appID: appID, runID: runID), infer: infer,
            maxMessages: maxMessages, maxAddBytes: maxAddBytes, maxRecordMiB: maxRecordMib, allBranches: allBranches,
            attachments: attachments)
        spec.includeArchived = includeArchived ? true : nil
        spec.appIDFromApp = appIdFromApp ? true : nil
        job.apply(to: &spec)
        return spec
    }

    /// Delivers to the target with the resumable engine.
    func deliver() async throws {
        let spec = spec()
        let runner = ImportJob(stateDirectory: job.stateDirectory)
        try await JobRunner.execute(options: job, summaryJSON: summaryJson, failOnRejects: spec.failOnRejects) {
            display in
            try await runner.run(spec, progress: display.update) { display.note("detected: \($0)") }
        }
    }
}

extension PipelineSpec.Operation: ExpressibleByArgument {}
extension InputFormat: ExpressibleByArgument {}
extension ImportPreset: ExpressibleByArgument {}
extension Mem0DumpMode: ExpressibleByArgument {}
