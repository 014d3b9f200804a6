import Foundation
import MemoryAPI

/// What a dry run found: counts of records, units, messages, rejects by reason and skips by
/// reason, counts per scope, the detected sources, and a few rendered payloads.
public struct DryRunSummary: Sendable, Codable {
    /// Units and messages bound for one scope.
    public struct ScopeCount: Sendable, Hashable, Codable {
        /// Units (adds or batch items).
        public var units: Int
        /// Messages.
        public var messages: Int
    }

    /// Records the formats read (lines, elements, rows), including those rejected.
    public var records = 0
    /// Units: adds plus batch-update items.
    public var units = 0
    /// Add units.
    public var addUnits = 0
    /// Batch-update units.
    public var batchUpdateItems = 0
    /// Messages across all adds.
    public var messages = 0
    /// Rejects.
    public var rejects = 0
    /// Rejects by reason code.
    public var rejectsByReason: [String: Int] = [:]
    /// Messages dropped by rule, by reason.
    public var skippedByReason: [String: Int] = [:]
    /// Units and messages per scope label (`user=alice`).
    public var scopes: [String: ScopeCount] = [:]
    /// Where a scope came from when neither the records nor the flags gave it, by scope label
    /// (`user=<uuid>`: "user_id from the Claude export's account (no --user-id given)").
    public var scopeOrigins: [String: String] = [:]
    /// The sources read, with what was detected.
    public var files: [SourceReport] = []
    /// Uncompressed bytes read.
    public var inputBytes: Int64 = 0
    /// The first payloads, as they would be sent.
    public var samplePayloads: [JSONValue] = []
    /// The first rejects.
    public var sampleRejects: [ImportReject] = []
    /// Sources that could not be opened.
    public var failedSources: [String] = []

    /// How many payloads and rejects are kept as samples.
    public var sampleLimit: Int
    /// The last scope counted and its label, since consecutive units mostly share one.
    private var lastScope: Scope?
    private var lastLabel = ""

    /// Creates an empty summary keeping `sampleLimit` sample payloads and rejects.
    public init(sampleLimit: Int = 3) { self.sampleLimit = sampleLimit }

    /// Counts one event.
    public mutating func add(_ event: ImportEvent) {
        switch event {
        case .detected(let report):
            files.append(report)
        case .unit(let unit):
            units += 1
            messages += unit.messageCount
            let label: String
            switch unit.payload {
            case .add(let request):
                addUnits += 1
                if lastScope == request.scope {
                    label = lastLabel
                } else {
                    label = request.scope.label
                    lastScope = request.scope
                    lastLabel = label
                }
                if samplePayloads.count < sampleLimit, let json = try? JSONValue(encoding: request) {
                    samplePayloads.append(json)
                }
            case .batchUpdate(let item):
                batchUpdateItems += 1
                label = "(batch update by memory id)"
                if samplePayloads.count < sampleLimit, let json = try? JSONValue(encoding: item) {
                    samplePayloads.append(json)
                }
            }
            if let origin = unit.scopeOrigin, scopeOrigins[label] == nil { scopeOrigins[label] = origin }
            Self.count(unit.messageCount, in: &scopes[label, default: ScopeCount(units: 0, messages: 0)])
        case .reject(let reject):
            rejects += 1
            rejectsByReason[reject.reason.rawValue, default: 0] += 1
            if sampleRejects.count < sampleLimit { sampleRejects.append(reject) }
        case .skipped(let reason, let count):
            skippedByReason[reason, default: 0] += count
        case .sourceFailed(let error):
            rejects += 1
            rejectsByReason[error.code.rawValue, default: 0] += 1
            failedSources.append(error.locator?.file ?? "?")
            if sampleRejects.count < sampleLimit {
                sampleRejects.append(ImportReject(error, at: RecordLocator(file: error.locator?.file ?? "?")))
            }
        }
    }

    /// One unit more for a scope, in one dictionary access.
    private static func count(_ messages: Int, in scope: inout ScopeCount) {
        scope.units += 1
        scope.messages += messages
    }

    enum CodingKeys: String, CodingKey {
        case records, units, messages, rejects, scopes, files
        case addUnits = "add_units"
        case batchUpdateItems = "batch_update_items"
        case rejectsByReason = "rejects_by_reason"
        case skippedByReason = "skipped_by_reason"
        case scopeOrigins = "scope_origins"
        case inputBytes = "input_bytes"
        case samplePayloads = "sample_payloads"
        case sampleRejects = "sample_rejects"
        case failedSources = "failed_sources"
        case sampleLimit = "sample_limit"
    }

    /// The summary as pretty JSON with sorted keys.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
