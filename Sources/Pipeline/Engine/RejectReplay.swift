import Foundation
import MemoryAPI
import Reading

/// Maps the input records of a rejects file again, as the user fixed them in the file, through
/// the adapter and options of their job.
///
/// A reject of one message (an unknown content type, a message over the size limit) left the
/// rest of its conversation imported, so only the messages the reject names are mapped again;
/// a reject of a whole record maps the whole record. The record keeps its place (file, line or
/// element, offset) and its source, so its import keys are the ones a run over the fixed input
/// would give, the same on every replay: a replay run twice, or a replay and then a run over
/// the fixed input, stores each memory once.
///
/// ```swift
/// let replay = RejectReplay(options: try spec.importOptions())
/// if let mapped = replay.map(line) { events += mapped.events }
/// ```
public struct RejectReplay: Sendable {
    /// What replaying one line yields.
    public struct Mapped: Sendable {
        /// The units, rejects and skips, in order.
        public var events: [ImportEvent]
        /// The import keys of the units.
        public var unitKeys: [String]
        /// The ledger keys of the rejects the fixed record still has.
        public var rejectKeys: Set<String>
    }

    /// The job's import options.
    public var options: ImportOptions

    /// Creates a replay with a job's import options.
    public init(options: ImportOptions) { self.options = options }

    /// Why a line cannot be replayed; `nil` when it can.
    public func problem(_ line: RejectsFile.Line) -> String? {
        if line.kind == .unit { return "a refused unit, not an input record" }
        if line.locator == nil { return "line \(line.number) has no locator" }
        if record(line) == nil {
            return line.kind == .raw && line.rawTruncated
                ? "line \(line.number) holds only the first bytes of the record: put the whole fixed record in 'record'"
                : "line \(line.number) holds no record: put the fixed record in 'record'"
        }
        if preset(line) == nil { return "line \(line.number): cannot tell the preset; the job has none either" }
        return nil
    }

    /// Maps one input line; `nil` when it cannot be replayed (see `problem(_:)`).
    public func map(_ line: RejectsFile.Line) -> Mapped? {
        guard problem(line) == nil, let located = line.locator, let body = record(line), let preset = preset(line)
        else { return nil }
        var here = located
        here.conversationID = nil
        here.messageIDs = []
        here.part = nil
        let sourceRecord = SourceRecord(body: body, locator: here)
        let identity = line.source ?? InputSource(located.file).identity
        var opts = options
        opts.adapter.replaySelection = ReplaySelection(located)
        var adapter = ImportReader.adapter(
            for: preset, source: SourceFingerprint(identity: identity, size: nil, modified: nil, headHash: ""),
            options: opts)
        var outputs: [AdapterOutput] = []
        adapter.map(sourceRecord, into: &outputs)
        adapter.finish(into: &outputs)
        let selection = ReplaySelection(located)
        var mapped = Mapped(events: [], unitKeys: [], rejectKeys: [])
        for output in outputs {
            switch output {
            case .unit(let unit):
                mapped.unitKeys.append(unit.importKey)
                mapped.events.append(.unit(unit))
            case .reject(let reject):
                guard selection.admits(reject) else { continue }
                let full = reject.located(record: RejectedRecord(sourceRecord), preset: preset, source: identity)
                mapped.rejectKeys.insert(
                    LedgerReject.key(locator: full.locator.json.jsonString(), reason: full.reason.rawValue))
                mapped.events.append(.reject(full))
            case .skipped(let reason, let count):
                mapped.events.append(.skipped(reason: reason, count: count))
            }
        }
        return mapped
    }

    /// The record as the line now holds it.
    func record(_ line: RejectsFile.Line) -> SourceRecord.Body? {
        switch line.kind {
        case .unit:
            return nil
        case .record:
            guard let record = line.record else { return nil }
            return .json(Array(record.jsonString().utf8))
        case .row:
            guard let object = line.record?.objectValue else { return nil }
            let header = object.keys.sorted()
            return .row(
                CSVRow(header: header, fields: header.map { object[$0]?.stringValue ?? object[$0]?.jsonString() ?? "" })
            )
        case .raw:
            // The user may have put the fixed record in `record`, or fixed `raw` into JSON.
            if let record = line.record, record.stringValue == nil { return .json(Array(record.jsonString().utf8)) }
            guard let raw = line.raw, !line.rawTruncated else { return nil }
            return .json(Array(raw.utf8))
        }
    }

    func preset(_ line: RejectsFile.Line) -> ImportPreset? {
        if let preset = line.preset ?? options.preset { return preset }
        guard let body = record(line) else { return nil }
        return PresetSniffer.detect(SourceRecord(body: body, locator: line.locator ?? RecordLocator(file: "-")))
    }
}
