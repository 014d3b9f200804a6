import MemoryAPI

/// One open store in the import reader: each batch of points becomes units through the `mem0`
/// dump mapping (`infer=false` unless asked, `created_at` as `timestamp`, the point id as
/// `memport_source_id`), and each point that is not a memory becomes a reject at its point id.
final class StoreRecordSource {
    let spec: StoreSpec
    private let reader: any StoreReader
    private let adapter: Mem0DumpAdapter
    /// Points read so far.
    private(set) var points = 0

    /// Opens and probes the store.
    ///
    /// - Throws: `ReadingError` when it cannot be read.
    init(spec: StoreSpec, options: AdapterOptions) throws {
        self.spec = spec
        reader = try StoreSources.open(spec)
        adapter = Mem0DumpAdapter(builder: StoreSources.builder(spec, options: options))
    }

    /// The next batch's events, or nil at the end (the store is closed then).
    ///
    /// - Throws: `ReadingError` when the store cannot be read further (the store is closed then).
    func next() throws -> [ImportEvent]? {
        let batch: [StorePoint]
        do {
            guard let next = try reader.next() else {
                reader.close()
                return nil
            }
            batch = next
        } catch {
            reader.close()
            throw error
        }
        points += batch.count
        var events: [ImportEvent] = []
        events.reserveCapacity(batch.count)
        var outputs: [AdapterOutput] = []
        let locator = RecordLocator(file: spec.description)
        for point in batch {
            switch StoreSources.memory(of: point, spec: spec) {
            case .failure(let error):
                let here = locator.with(conversation: point.id)
                events.append(.reject(ImportReject(error, at: here, raw: Self.raw(point))))
            case .success(let memory):
                adapter.emit(memory, locator: locator, into: &outputs)
                for output in outputs {
                    switch output {
                    case .unit(let unit): events.append(.unit(unit))
                    case .reject(let reject): events.append(.reject(reject))
                    case .skipped(let reason, let count): events.append(.skipped(reason: reason, count: count))
                    }
                }
                outputs.removeAll(keepingCapacity: true)
            }
        }
        return events
    }

    /// The payload as the rejects file keeps it.
    static func raw(_ point: StorePoint) -> [UInt8] {
        guard case .success(let payload) = point.payload else { return [] }
        return Array(JSONValue.object(["id": .string(point.id), "payload": .object(payload)]).jsonString().utf8)
    }
}
