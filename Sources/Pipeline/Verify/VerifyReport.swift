import Foundation
import MemoryAPI

/// What `memport verify` found: counts per scope on each side, and the memories missing from
/// the target, extra on it, or changed (by text, scope, metadata or `created_at`).
public struct VerifyReport: Sendable, Hashable {
    /// One memory that differs.
    public struct Difference: Sendable, Hashable {
        /// The memory's origin id.
        public var identity: String
        /// Its scope label.
        public var scope: String
        /// The fields that differ (empty for missing and extra).
        public var fields: [String]
    }

    /// The source side, as given.
    public var source: String
    /// The target side, as given.
    public var target: String
    /// Memories per scope label on each side.
    public var scopes: [String: (source: Int, target: Int)] = [:]
    /// Memories on the source side.
    public var sourceCount = 0
    /// Memories on the target side.
    public var targetCount = 0
    /// Memories on both sides with the same content.
    public var matched = 0
    /// Memories only on the source side (first `limit`).
    public var missing: [Difference] = []
    /// Memories only on the target side, or there twice (first `limit`).
    public var extra: [Difference] = []
    /// Memories that differ (first `limit`).
    public var changed: [Difference] = []
    /// How many of each, counting those past the limit.
    public var missingCount = 0
    /// How many extra.
    public var extraCount = 0
    /// How many changed.
    public var changedCount = 0
    /// How many examples of each kind are kept.
    public var limit = 1000
    /// Where a side's own counts disagree with the memories it gave (memories it holds but
    /// could not list, or a backup short of its source's count), each prefixed `source:` or
    /// `target:`.
    public var uncounted: [String] = []

    /// True when both sides hold the same memories with the same content, and each side's own
    /// counts agree with the memories it listed.
    public var identical: Bool { missingCount == 0 && extraCount == 0 && changedCount == 0 && uncounted.isEmpty }

    /// Hashes the fields that decide equality.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(source)
        hasher.combine(target)
        hasher.combine(missingCount)
        hasher.combine(extraCount)
        hasher.combine(changedCount)
    }

    /// Compares the fields that decide equality.
    public static func == (a: VerifyReport, b: VerifyReport) -> Bool {
        a.source == b.source && a.target == b.target && a.missing == b.missing && a.extra == b.extra
            && a.changed == b.changed && a.sourceCount == b.sourceCount && a.targetCount == b.targetCount
            && a.uncounted == b.uncounted
    }

    mutating func note(_ kind: WritableKeyPath<VerifyReport, [Difference]>, _ d: Difference) {
        if self[keyPath: kind].count < limit { self[keyPath: kind].append(d) }
    }

    /// The report as text.
    public func rendered(show: Int = 20) -> String {
        var lines: [String] = []
        lines.append("verify \(source) → \(target): \(identical ? "identical" : "DIFFERENT")")
        lines.append(
            "  source \(sourceCount)  target \(targetCount)  matched \(matched)  missing \(missingCount)  "
                + "extra \(extraCount)  changed \(changedCount)")
        let uneven = scopes.filter { $0.value.source != $0.value.target }.sorted { $0.key < $1.key }
        lines.append("  scopes \(scopes.count), \(uneven.count) with different counts")
        for (scope, c) in uneven.prefix(show) {
            lines.append("    \(scope): source \(c.source), target \(c.target)")
        }
        if !uncounted.isEmpty {
            lines.append("  counts that disagree with what was listed (\(uncounted.count)):")
            for text in uncounted.prefix(show) { lines.append("    \(text)") }
            if uncounted.count > show { lines.append("    …") }
        }
        for (title, list) in [("missing", missing), ("extra", extra), ("changed", changed)] where !list.isEmpty {
            lines.append("  \(title):")
            for d in list.prefix(show) {
                lines.append(
                    "    \(d.identity) (\(d.scope))" + (d.fields.isEmpty ? "" : ": " + d.fields.joined(separator: ", "))
                )
            }
            if list.count > show { lines.append("    …") }
        }
        return lines.joined(separator: "\n")
    }

    /// The report as JSON.
    public func json() -> JSONValue {
        func list(_ items: [Difference]) -> JSONValue {
            .array(
                items.map { d in
                    .object([
                        "id": .string(d.identity), "scope": .string(d.scope),
                        "fields": .array(d.fields.map { .string($0) }),
                    ])
                })
        }
        var scopeObject: [String: JSONValue] = [:]
        for (k, v) in scopes {
            scopeObject[k] = .object(["source": .int(Int64(v.source)), "target": .int(Int64(v.target))])
        }
        return .object([
            "source": .string(source), "target": .string(target), "identical": .bool(identical),
            "source_count": .int(Int64(sourceCount)), "target_count": .int(Int64(targetCount)),
            "matched": .int(Int64(matched)), "missing_count": .int(Int64(missingCount)),
            "extra_count": .int(Int64(extraCount)), "changed_count": .int(Int64(changedCount)),
            "missing": list(missing), "extra": list(extra), "changed": list(changed), "scopes": .object(scopeObject),
            "uncounted": .array(uncounted.map { .string($0) }),
        ])
    }
}
