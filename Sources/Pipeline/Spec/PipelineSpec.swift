import Foundation
import MemoryAPI
import MemoryClient
import Reading

/// One import job as flags or a pipeline file describe it: one schema, two spellings.
///
/// ```yaml
/// source: [samples/openai.jsonl, samples/sharegpt.json.gz]
/// preset: openai            # or format: ndjson|json|csv
/// mapping: {content: text, user_id: uid, group: session}
/// operation: add            # add | update | delete
/// target: embedded:./memport.db
/// options: {user_id: alice, chunk_size: 1000, concurrency: 8, rate: 0, workers: 2}
/// ```
public struct PipelineSpec: Sendable, Hashable, Codable {
    /// What the job does with each unit.
    public enum Operation: String, Sendable, Hashable, Codable, CaseIterable {
        /// Add calls (chat transcripts, or Mem0 dumps restored as new memories).
        case add
        /// Batch updates by memory id (Mem0 dumps).
        case update
        /// Batch deletes by memory id (Mem0 dumps).
        case delete
    }

    /// Files, globs, directories, or `-` for stdin.
    public var sources: [String]
    /// The container, when not detected.
    public var format: InputFormat?
    /// The adapter, when not detected.
    public var preset: ImportPreset?
    /// Generic adapter mapping, key → field (`content: text`); `metadata` takes `a|b`.
    public var mapping: [String: String]?
    /// CSV column names for files without a header row.
    public var csvColumns: [String]?
    /// What to do with each unit.
    public var operation: Operation
    /// Where the units go, parsed once.
    public var target: TargetSpec
    /// The organisation, for targets that take one.
    public var orgID: String?
    /// The project, for targets that take one.
    public var projectID: String?
    /// The scope for records that carry none.
    public var scope: Scope
    /// `infer=true` lets the target extract memories; default stores messages verbatim.
    public var infer: Bool
    /// The most messages one add carries.
    public var maxMessages: Int?
    /// The most bytes of message text one add carries.
    public var maxAddBytes: Int?
    /// A record larger than this many MiB is a reject.
    public var maxRecordMiB: Int?
    /// ChatGPT: every branch, not only the active one.
    public var allBranches: Bool
    /// Claude: include attachment text.
    public var attachments: Bool
    /// OpenMemory: import memories whose state is not active too (nil: no).
    public var includeArchived: Bool?
    /// OpenMemory: the app's name as `app_id` (nil: no).
    public var appIDFromApp: Bool?
    /// Units per chunk, at most 1000.
    public var chunkSize: Int
    /// Calls in flight at once.
    public var concurrency: Int
    /// How fast to send; nil takes the target's default (900 a minute for the hosted platform,
    /// unpaced elsewhere), ``Rate/unpaced`` is unpaced against any host.
    public var rate: Rate?
    /// The path generation of HTTP targets (`v1`: SDK 0.1.x, `v2`: 1.x, `v3`: 2.x); nil is v3.
    public var apiVersion: APIVersion?
    /// Threads that map records in parallel (reading only; output order never changes); nil is 1.
    public var workers: Int?
    /// Exit 6 when the job finished with rejects.
    public var failOnRejects: Bool

    /// The embedded default target.
    public static let defaultTarget = TargetSpec.embedded(path: "./memport.db")

    /// Creates a spec.
    public init(
        sources: [String], format: InputFormat? = nil, preset: ImportPreset? = nil, mapping: [String: String]? = nil,
        csvColumns: [String]? = nil, operation: Operation = .add, target: TargetSpec = PipelineSpec.defaultTarget,
        orgID: String? = nil, projectID: String? = nil, scope: Scope = Scope(), infer: Bool = false,
        maxMessages: Int? = nil, maxAddBytes: Int? = nil, maxRecordMiB: Int? = nil, allBranches: Bool = false,
        attachments: Bool = false, chunkSize: Int = 1000, concurrency: Int = 8, rate: Rate? = nil,
        apiVersion: APIVersion? = nil, workers: Int? = nil, failOnRejects: Bool = false
    ) {
        self.sources = sources
        self.format = format
        self.preset = preset
        self.mapping = mapping
        self.csvColumns = csvColumns
        self.operation = operation
        self.target = target
        self.orgID = orgID
        self.projectID = projectID
        self.scope = scope
        self.infer = infer
        self.maxMessages = maxMessages
        self.maxAddBytes = maxAddBytes
        self.maxRecordMiB = maxRecordMiB
        self.allBranches = allBranches
        self.attachments = attachments
        self.chunkSize = chunkSize
        self.concurrency = concurrency
        self.rate = rate
        self.apiVersion = apiVersion
        self.workers = workers
        self.failOnRejects = failOnRejects
    }

    /// Refuses values no run could honour: the delivery limits, and every reader limit (the
    /// same checks for a dry run and for delivery).
    ///
    /// - Throws: `PipelineError` `.usage` naming the option.
    public func validate() throws {
        if sources.isEmpty { throw PipelineError(.usage, "no source: name at least one file, glob, directory or -") }
        if !(1...1000).contains(chunkSize) {
            throw PipelineError(.usage, "chunk_size must be 1 to 1000, got \(chunkSize)")
        }
        if !(1...256).contains(concurrency) {
            throw PipelineError(.usage, "concurrency must be 1 to 256, got \(concurrency)")
        }
        try validateReading()
    }

    /// Refuses reader limits no record could meet (`max_record_mib 0` would make every record
    /// a reject): the checks a dry run makes too.
    ///
    /// - Throws: `PipelineError` `.usage` naming the option.
    public func validateReading() throws {
        if let m = maxMessages, m < 1 { throw PipelineError(.usage, "max_messages must be at least 1, got \(m)") }
        if let b = maxAddBytes, b < 1 { throw PipelineError(.usage, "max_add_bytes must be at least 1, got \(b)") }
        if let r = maxRecordMiB, !(1...(1 << 20)).contains(r) {
            throw PipelineError(.usage, "max_record_mib must be 1 to 1048576, got \(r)")
        }
        if let w = workers, !(1...256).contains(w) {
            throw PipelineError(.usage, "workers must be 1 to 256, got \(w)")
        }
        if mapping != nil { _ = try fieldMapping() }
    }

    /// The generic adapter's mapping.
    public func fieldMapping() throws -> FieldMapping {
        guard let mapping, !mapping.isEmpty else { return .standard }
        return try FieldMapping.parse(
            mapping.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
    }

    /// The readers' options this spec asks for.
    public func importOptions() throws -> ImportOptions {
        var adapter = AdapterOptions(
            defaultScope: scope, infer: infer, maxMessagesPerAdd: maxMessages, allBranches: allBranches,
            includeAttachments: attachments, mem0Mode: operation == .add ? .add : .update,
            mapping: try fieldMapping())
        if let maxAddBytes { adapter.maxAddBytes = maxAddBytes }
        adapter.includeArchived = includeArchived ?? false
        adapter.appIDFromApp = appIDFromApp ?? false
        var options = ImportOptions(format: format, preset: preset, adapter: adapter, csvColumns: csvColumns)
        if let maxRecordMiB { options.maxRecordBytes = maxRecordMiB << 20 }
        if let workers { options.workers = workers }
        return options
    }

    /// The job id: a hash of everything that decides which units a run makes and where they
    /// go, so re-running the same command continues the same job. Chunk size, concurrency, rate
    /// and workers only change how fast, so they are left out (spelled as they always were, so
    /// jobs keep their ids across versions).
    public func jobID(resolvedSources: [String]) -> String {
        var identity = self
        identity.sources = resolvedSources
        identity.chunkSize = 0
        identity.concurrency = 0
        identity.rate = .unpaced
        identity.workers = nil
        identity.failOnRejects = false
        // The ledger stores the target without its secrets; the id must come out the same from it.
        if let clean = try? TargetSpec(TargetRedaction.redacted(target.description)) { identity.target = clean }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = (try? encoder.encode(identity)).map { String(decoding: $0, as: UTF8.self) } ?? "\(identity)"
        return "job-" + String(SHA256.hex(text).prefix(12))
    }

    enum CodingKeys: String, CodingKey {
        case sources, format, preset, mapping, operation, target, scope, infer, rate, attachments
        case csvColumns = "csv_columns"
        case orgID = "org_id"
        case projectID = "project_id"
        case maxMessages = "max_messages"
        case maxAddBytes = "max_add_bytes"
        case maxRecordMiB = "max_record_mib"
        case allBranches = "all_branches"
        case chunkSize = "chunk_size"
        case concurrency, workers
        case apiVersion = "api_version"
        case failOnRejects = "fail_on_rejects"
        case includeArchived = "include_archived"
        case appIDFromApp = "app_id_from_app"
    }
}
