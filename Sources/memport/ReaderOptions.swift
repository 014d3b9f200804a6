import ArgumentParser
import Foundation
import MemoryAPI
import Pipeline
import Reading

/// How inputs are read and mapped into units: the same flags, with the same meaning, for a
/// dry run and for delivery.
struct ReaderOptions: ParsableArguments {
    @Option(help: "The container: ndjson, json or csv (default: detected per file).")
    var format: InputFormat?

    @Option(
        help: """
            The adapter: openai, sharegpt, chatgpt, claude, locomo, mem0, mem0-migration, openmemory or generic \
            (default: detected).
            """)
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

    @Option(help: "A record larger than this many MiB is a reject (1 to 1048576).")
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

    /// The spec these flags describe for `files`.
    ///
    /// - Throws: `PipelineError` `.usage` for a malformed `--map`.
    func spec(files: [String], operation: PipelineSpec.Operation?) throws -> PipelineSpec {
        var spec = PipelineSpec(
            sources: files, format: format, preset: preset, mapping: try map.map(FieldMapping.pairs),
            csvColumns: columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } },
            operation: operation ?? (mem0Mode == .update ? .update : .add),
            scope: Scope(userID: userID, agentID: agentID, appID: appID, runID: runID), infer: infer,
            maxMessages: maxMessages, maxAddBytes: maxAddBytes, maxRecordMiB: maxRecordMib, allBranches: allBranches,
            attachments: attachments, workers: workers)
        spec.includeArchived = includeArchived ? true : nil
        spec.appIDFromApp = appIdFromApp ? true : nil
        return spec
    }
}

/// `--dry-run` and what it shows: read and map everything, send nothing.
struct DryRunOptions: ParsableArguments {
    @Flag(help: "Parse and map everything without touching a target or the ledger.")
    var dryRun = false

    @Option(help: "With --dry-run: how many rendered payloads and rejects to show.")
    var show = 3
}

extension PipelineSpec.Operation: ExpressibleByArgument {}
extension InputFormat: ExpressibleByArgument {}
extension ImportPreset: ExpressibleByArgument {}
extension Mem0DumpMode: ExpressibleByArgument {}
