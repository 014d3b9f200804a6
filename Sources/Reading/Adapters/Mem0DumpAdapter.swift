import Foundation
import MemoryAPI

/// Mem0 memory dumps: `get_all` results as NDJSON, a bare array, or page envelopes.
///
/// Each memory becomes an add with `infer=false`, its text as one user message, its scope and
/// metadata kept and `created_at` as `timestamp`; or, in `update` mode, a `batch_update` item
/// addressed by its id.
public struct Mem0DumpAdapter: RecordAdapter {
    struct Envelope: Decodable {
        var results: [Memory]
    }

    private let builder: UnitBuilder
    private let decoding = RecordDecoding()

    /// The metadata key naming the id a restored or migrated memory had at its origin.
    public static let sourceIDField = "memport_source_id"

    /// Creates the adapter.
    public init(builder: UnitBuilder) { self.builder = builder }

    /// Maps one memory (or one page of memories) into units.
    public mutating func map(_ record: SourceRecord, into output: inout [AdapterOutput]) {
        let data: Data
        switch record.body {
        case .json(let bytes): data = bytes
        case .row(let row):
            // memport's own CSV export: flat columns, metadata and categories as JSON columns.
            do {
                emit(try MemoryCSV.memory(from: row), locator: record.locator, into: &output)
            } catch let error as ReadingError {
                var located = error
                located.locator = record.locator
                output.append(.reject(ImportReject(located, at: record.locator, raw: record.rawBytes)))
            } catch {
                output.append(
                    .reject(
                        ImportReject(
                            ReadingError(.wrongType, "\(error)"), at: record.locator, raw: record.rawBytes)))
            }
            return
        }
        do {
            let memory = try decoding.decode(Memory.self, from: data, at: record.locator)
            emit(memory, locator: record.locator, into: &output)
        } catch let error {
            if error.code == .wrongType, error.path == "memory",
                let page = try? decoding.decode(Envelope.self, from: data, at: record.locator)
            {
                for (i, memory) in page.results.enumerated() {
                    var here = record.locator
                    here.element = i
                    emit(memory, locator: here, into: &output)
                }
                return
            }
            output.append(.reject(ImportReject(error, at: record.locator, raw: record.rawBytes)))
        }
    }

    /// Maps one decoded memory (restore, migrate).
    public func emit(_ memory: Memory, locator: RecordLocator, into output: inout [AdapterOutput]) {
        let here = locator.with(conversation: memory.id)
        switch builder.options.mem0Mode {
        case .update:
            output.append(
                builder.update(
                    BatchUpdateItem(memoryID: memory.id, text: memory.memory, metadata: memory.metadata), locator: here)
            )
        case .add:
            var metadata = memory.metadata ?? [:]
            // The id of the memory's origin: kept through chains of exports, restores and migrations.
            if metadata[Self.sourceIDField] == nil { metadata[Self.sourceIDField] = .string(memory.id) }
            var timestamp: Int64?
            if let created = memory.createdAt {
                let checked = Result { () throws(ReadingError) -> Int64 in
                    try ImportTime.seconds(created, at: here, path: "created_at")
                }
                switch checked {
                case .success(let seconds): timestamp = seconds
                case .failure(let error):
                    output.append(.reject(ImportReject(error, at: here, raw: nil)))
                    return
                }
            }
            var units: [AdapterOutput] = []
            builder.adds(
                turns: [ConversationTurn(message: Message(role: .user, text: memory.memory), id: memory.id)],
                scope: memory.scope, metadata: metadata,
                timestamp: timestamp, locator: here,
                into: &units)
            for item in units {
                if case .unit(var unit) = item, case .add(var request) = unit.payload {
                    request.immutable = memory.immutable
                    request.expirationDate = memory.expirationDate
                    request.memportCategories = memory.categories
                    request.memportVerbatim = true
                    unit.payload = .add(request)
                    output.append(.unit(unit))
                } else {
                    output.append(item)
                }
            }
        }
    }
}
