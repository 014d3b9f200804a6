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
    public var scopes: [String: ScopeCount] {
        var result = labeled
        for (scope, count) in byScope {
            let label = scope.label
            if let seen = result[label] {
                result[label] = ScopeCount(units: seen.units + count.units, messages: seen.messages + count.messages)
            } else {
                result[label] = count
            }
        }
        return result
    }
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
    /// Adds counted by scope; labelled only when `scopes` is read, so counting builds no string.
    private var byScope: [Scope: ScopeCount] = [:]
    /// Counts kept by label: batch-update items, and the scopes of a decoded summary.
    private var labeled: [String: ScopeCount] = [:]

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
            if samplePayloads.count < sampleLimit {
                let json: JSONValue?
                switch unit.payload {
                case .add(let request): json = try? JSONValue(encoding: request)
                case .batchUpdate(let item): json = try? JSONValue(encoding: item)
                }
                if let json { samplePayloads.append(json) }
            }
            if let scope = unit.scope {
                addUnits += 1
                Self.count(unit.messageCount, in: &byScope[scope, default: ScopeCount(units: 0, messages: 0)])
                if let origin = unit.scopeOrigin {
                    let label = scope.label
                    if scopeOrigins[label] == nil { scopeOrigins[label] = origin }
                }
            } else {
                batchUpdateItems += 1
                let label = "(batch update by memory id)"
                if let origin = unit.scopeOrigin, scopeOrigins[label] == nil { scopeOrigins[label] = origin }
                Self.count(1, in: &labeled[label, default: ScopeCount(units: 0, messages: 0)])
            }
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

    /// Reads a summary written by `jsonData()` (or by the encoder of another version).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        records = try c.decode(Int.self, forKey: .records)
        units = try c.decode(Int.self, forKey: .units)
        addUnits = try c.decode(Int.self, forKey: .addUnits)
        batchUpdateItems = try c.decode(Int.self, forKey: .batchUpdateItems)
        messages = try c.decode(Int.self, forKey: .messages)
        rejects = try c.decode(Int.self, forKey: .rejects)
        rejectsByReason = try c.decode([String: Int].self, forKey: .rejectsByReason)
        skippedByReason = try c.decode([String: Int].self, forKey: .skippedByReason)
        labeled = try c.decode([String: ScopeCount].self, forKey: .scopes)
        scopeOrigins = try c.decode([String: String].self, forKey: .scopeOrigins)
        files = try c.decode([SourceReport].self, forKey: .files)
        inputBytes = try c.decode(Int64.self, forKey: .inputBytes)
        samplePayloads = try c.decode([JSONValue].self, forKey: .samplePayloads)
        sampleRejects = try c.decode([ImportReject].self, forKey: .sampleRejects)
        failedSources = try c.decode([String].self, forKey: .failedSources)
        sampleLimit = try c.decode(Int.self, forKey: .sampleLimit)
    }

    /// Writes every count, the scopes by label.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(records, forKey: .records)
        try c.encode(units, forKey: .units)
        try c.encode(addUnits, forKey: .addUnits)
        try c.encode(batchUpdateItems, forKey: .batchUpdateItems)
        try c.encode(messages, forKey: .messages)
        try c.encode(rejects, forKey: .rejects)
        try c.encode(rejectsByReason, forKey: .rejectsByReason)
        try c.encode(skippedByReason, forKey: .skippedByReason)
        try c.encode(scopes, forKey: .scopes)
        try c.encode(scopeOrigins, forKey: .scopeOrigins)
        try c.encode(files, forKey: .files)
        try c.encode(inputBytes, forKey: .inputBytes)
        try c.encode(samplePayloads, forKey: .samplePayloads)
        try c.encode(sampleRejects, forKey: .sampleRejects)
        try c.encode(failedSources, forKey: .failedSources)
        try c.encode(sampleLimit, forKey: .sampleLimit)
    }

    /// The summary as pretty JSON with sorted keys.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
