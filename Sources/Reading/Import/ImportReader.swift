import Dispatch
import MemoryAPI

/// The streaming import front end: Source ──bytes──▶ Format ──records──▶ Adapter ──units──▶.
///
/// Pulls one record at a time from each source in order and yields its units, rejects and
/// skips; memory stays bounded by the largest record. Errors in one source become rejects and
/// the next source is read. Not `Sendable`: one task owns it; `ImportEvents` wraps it as an
/// `AsyncSequence`.
///
/// ```swift
/// let reader = ImportReader(sources: try InputResolver.resolve(["chats.jsonl.gz"]), options: options)
/// while let event = reader.next() { ... }
/// ```
public final class ImportReader {
    private struct Current {
        var stream: ByteStream
        var reader: any RecordReader
        /// One adapter per worker; a stateful adapter (generic grouping) has only one.
        var adapters: [any RecordAdapter]
        /// The preset in use, named in rejects so a replay maps them the same way.
        var preset: ImportPreset? = nil
    }

    /// How many records the formats read (including records that became rejects).
    public private(set) var recordCount = 0
    /// Uncompressed bytes read from finished sources plus the current one, for progress.
    public var uncompressedBytes: Int64 { finishedBytes + (current?.stream.uncompressedOffset ?? 0) }

    /// Bytes consumed from the inputs as stored (compressed bytes for gzip), for progress
    /// against their sizes on disk.
    public var sourceBytesRead: Int64 { finishedSourceBytes + (current?.stream.bytesRead ?? 0) }

    private let sources: [InputSource]
    private let options: ImportOptions
    private var sourceIndex = 0
    private var current: Current?
    /// Events of the step being processed, in order.
    private var queue: [ImportEvent] = []
    /// Events ready to hand out, in reverse order, so each is moved out by `popLast` (no copy).
    private var ready: [ImportEvent] = []
    private var outputs: [AdapterOutput] = []
    private var finishedBytes: Int64 = 0
    private var finishedSourceBytes: Int64 = 0
    /// The self-hosted store being read, when the current source is one.
    private var store: StoreRecordSource?

    /// How many records are read at most to detect a preset.
    static let sniffRecords = 16
    /// The most records mapped in one parallel batch.
    static let batchRecords = 256
    /// The most bytes of records held in one batch (a larger single record is a batch alone).
    static let batchBytes = 8 << 20

    /// Creates a reader over sources, read in the order given.
    public init(sources: [InputSource], options: ImportOptions) {
        self.sources = sources
        self.options = options
    }

    /// The next event, or `nil` when every source is read.
    public func next() -> ImportEvent? {
        while true {
            if let event = ready.popLast() { return event }
            if !queue.isEmpty {
                swap(&ready, &queue)
                ready.reverse()
                continue
            }
            if let open = store {
                readStore(open)
                continue
            }
            guard var open = current else {
                guard sourceIndex < sources.count else { return nil }
                let source = sources[sourceIndex]
                sourceIndex += 1
                openSource(source)
                continue
            }
            // Read a bounded batch, map it (in parallel when the adapter allows), emit in order.
            var batch: [ReadItem] = []
            batch.reserveCapacity(Self.batchRecords)
            var bytes = 0
            var ended = false
            var failure: ImportReject?
            while batch.count < Self.batchRecords, bytes < Self.batchBytes {
                do {
                    guard let item = try open.reader.next() else {
                        ended = true
                        break
                    }
                    if case .record(let record) = item, case .json(let data) = record.body { bytes += data.count }
                    batch.append(item)
                } catch let error as ReadingError {
                    failure = ImportReject(error, at: RecordLocator(file: open.stream.source.name))
                    break
                } catch {
                    failure = ImportReject(
                        reason: .unreadable, message: "\(error)", locator: RecordLocator(file: open.stream.source.name))
                    break
                }
            }
            map(batch, with: &open)
            if let failure {
                queue.append(.reject(failure))
                close(&open)
            } else if ended {
                close(&open)
            } else {
                current = open
            }
        }
    }

    /// Maps a batch of records and queues the results in record order.
    private func map(_ batch: [ReadItem], with open: inout Current) {
        recordCount += batch.count
        let workers = min(open.adapters.count, batch.count)
        if workers <= 1 {
            // The queues are taken out of the reader for the batch: a stored property of a class
            // is checked for exclusive access on every use, a local is not.
            var queue: [ImportEvent] = []
            var outputs: [AdapterOutput] = []
            swap(&queue, &self.queue)
            swap(&outputs, &self.outputs)
            for item in batch {
                switch item {
                case .reject(let reject): queue.append(.reject(Self.located(reject, record: nil, in: open)))
                case .record(let record):
                    open.adapters[0].map(record, into: &outputs)
                    Self.drain(&outputs, into: &queue, record: record, in: open)
                }
            }
            swap(&queue, &self.queue)
            swap(&outputs, &self.outputs)
            return
        }
        var results = [[AdapterOutput]](repeating: [], count: batch.count)
        results.withUnsafeMutableBufferPointer { slots in
            open.adapters.withUnsafeMutableBufferPointer { adapters in
                let slots = SendableBuffer(slots)
                let adapters = SendableBuffer(adapters)
                // Worker w maps records w, w + workers, ...: each writes only its own slots and
                // uses only its own adapter.
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var i = w
                    while i < batch.count {
                        if case .record(let record) = batch[i] {
                            var out: [AdapterOutput] = []
                            adapters.base[w].map(record, into: &out)
                            slots.base[i] = out
                        }
                        i += workers
                    }
                }
            }
        }
        for (i, item) in batch.enumerated() {
            switch item {
            case .reject(let reject):
                queue.append(.reject(Self.located(reject, record: nil, in: open)))
            case .record(let record):
                swap(&outputs, &results[i])
                drainOutputs(record: record, in: open)
            }
        }
    }

    private func close(_ open: inout Current) {
        open.adapters[0].finish(into: &outputs)
        drainOutputs(record: nil, in: open)
        finishedBytes += open.stream.uncompressedOffset
        finishedSourceBytes += open.stream.bytesRead
        current = nil
    }

    /// Queues what the adapter yielded for `record`; its rejects carry the record, the preset
    /// and the source, so the rejects file holds what a replay needs.
    private func drainOutputs(record: SourceRecord?, in open: Current) {
        Self.drain(&outputs, into: &queue, record: record, in: open)
    }

    /// Moves `outputs` into `queue` as events, in order, leaving `outputs` empty.
    private static func drain(
        _ outputs: inout [AdapterOutput], into queue: inout [ImportEvent], record: SourceRecord?, in open: Current
    ) {
        for output in outputs {
            switch output {
            case .unit(let unit): queue.append(.unit(unit))
            case .reject(let reject): queue.append(.reject(located(reject, record: record, in: open)))
            case .skipped(let reason, let count): queue.append(.skipped(reason: reason, count: count))
            }
        }
        outputs.removeAll(keepingCapacity: true)
    }

    private static func located(_ reject: ImportReject, record: SourceRecord?, in open: Current) -> ImportReject {
        reject.located(
            record: record.map(RejectedRecord.init), preset: open.preset, source: open.stream.fingerprint.identity)
    }

    /// Queues a store's next batch, or closes it at its end or on an error.
    private func readStore(_ open: StoreRecordSource) {
        let before = open.points
        do {
            if let events = try open.next() {
                queue += events
            } else {
                store = nil
            }
        } catch let error as ReadingError {
            queue.append(.sourceFailed(error))
            store = nil
        } catch {
            queue.append(
                .sourceFailed(ReadingError(.unreadable, "\(error)", at: RecordLocator(file: open.spec.description))))
            store = nil
        }
        recordCount += open.points - before
    }

    /// Opens a self-hosted store source: its points are read in batches by `readStore`.
    private func openStore(_ spec: StoreSpec, name: String) {
        do {
            store = try StoreRecordSource(spec: spec, options: options.adapter)
            queue.append(
                .detected(
                    SourceReport(
                        file: name, format: .json, preset: .mem0, gzip: false, formatDetected: true,
                        presetDetected: true, fingerprint: StoreSources.fingerprint(spec), store: spec.kind.rawValue
                    )))
        } catch let error as ReadingError {
            queue.append(.sourceFailed(error))
        } catch {
            queue.append(.sourceFailed(ReadingError(.unreadable, "\(error)", at: RecordLocator(file: name))))
        }
    }

    private func openSource(_ source: InputSource) {
        if let spec = source.store {
            openStore(spec, name: source.name)
            return
        }
        var stream: ByteStream
        var head: [UInt8]
        var zipFormat: InputFormat?
        var openMemoryUser: String?
        do {
            stream = try ByteStream(source, chunkSize: options.chunkSize)
            head = try stream.peek()
            // A zip archive is an OpenMemory backup: read its memories entry instead.
            if !stream.isGzip, !source.isStandardInput, ZipArchive.isZip(head) {
                let backup = try OpenMemoryBackup.open(source, chunkSize: options.chunkSize)
                stream = backup.stream
                head = try stream.peek()
                zipFormat = backup.format
                openMemoryUser = backup.userID
            }
        } catch let error as ReadingError {
            queue.append(.sourceFailed(error))
            return
        } catch {
            queue.append(.sourceFailed(ReadingError(.unreadable, "\(error)", at: RecordLocator(file: source.name))))
            return
        }
        let format =
            zipFormat ?? options.format
            ?? FormatSniffer.detect(name: source.name, extension: source.formatExtension, head: head)
        let reader: any RecordReader
        switch format {
        case .ndjson: reader = NDJSONReader(stream: stream, maxRecordBytes: options.maxRecordBytes)
        case .json: reader = JSONStreamReader(stream: stream, maxRecordBytes: options.maxRecordBytes)
        case .csv:
            reader = CSVReader(stream: stream, maxRecordBytes: options.maxRecordBytes, columns: options.csvColumns)
        }
        // Detect the preset from the first records, which are kept and replayed.
        var preset = options.preset ?? (zipFormat != nil ? .openmemory : nil)
        var held: [ReadItem] = []
        var failure: ReadingError?
        if preset == nil {
            do {
                while held.count < Self.sniffRecords, let item = try reader.next() {
                    held.append(item)
                    if case .record(let record) = item, let found = PresetSniffer.detect(record) {
                        preset = found
                        break
                    }
                }
            } catch let error as ReadingError {
                failure = error
            } catch {
                failure = ReadingError(.unreadable, "\(error)", at: RecordLocator(file: source.name))
            }
            if preset == nil, failure == nil, format == .csv { preset = .generic }
        }
        let report = SourceReport(
            file: source.name, format: format, preset: preset, gzip: stream.isGzip,
            formatDetected: options.format == nil,
            presetDetected: options.preset == nil, fingerprint: stream.fingerprint)
        queue.append(.detected(report))
        guard let preset else {
            recordCount += held.count
            let error: ReadingError
            if let failure {
                error = failure
            } else if held.isEmpty {
                error = ReadingError(
                    .emptyInput, "the input holds no record", at: RecordLocator(file: source.name, line: 1))
            } else {
                error = ReadingError(
                    .unknownFormat, "cannot tell the preset from the first \(held.count) record(s); use --preset",
                    at: RecordLocator(file: source.name))
            }
            queue.append(.reject(ImportReject(error, at: RecordLocator(file: source.name))))
            finishedBytes += stream.uncompressedOffset
            finishedSourceBytes += stream.bytesRead
            return
        }
        let workers = preset == .generic ? 1 : max(1, options.workers)
        var open = Current(
            stream: stream, reader: reader,
            adapters: (0..<workers).map { _ in
                Self.adapter(for: preset, stream: stream, options: options, openMemoryUser: openMemoryUser)
            },
            preset: preset)
        map(held, with: &open)
        if let failure {
            queue.append(.reject(ImportReject(failure, at: RecordLocator(file: source.name))))
            close(&open)
            return
        }
        current = open
    }

    /// The adapter for a preset.
    static func adapter(
        for preset: ImportPreset, stream: ByteStream, options: ImportOptions, openMemoryUser: String? = nil
    ) -> any RecordAdapter {
        adapter(for: preset, source: stream.fingerprint, options: options, openMemoryUser: openMemoryUser)
    }

    /// The adapter for a preset reading a source with this fingerprint (its identity is part of
    /// every import key); `openMemoryUser` is the user an OpenMemory backup belongs to.
    public static func adapter(
        for preset: ImportPreset, source: SourceFingerprint, options: ImportOptions, openMemoryUser: String? = nil
    ) -> any RecordAdapter {
        let builder = UnitBuilder(
            adapter: preset.rawValue, source: source, options: options.adapter,
            defaultMaxMessages: preset == .locomo ? 2 : 50)
        switch preset {
        case .openai: return OpenAIAdapter(builder: builder)
        case .sharegpt: return ShareGPTAdapter(builder: builder)
        case .chatgpt: return ChatGPTAdapter(builder: builder)
        case .claude: return ClaudeAdapter(builder: builder)
        case .locomo: return LoCoMoAdapter(builder: builder)
        case .mem0: return Mem0DumpAdapter(builder: builder)
        case .mem0Migration: return Mem0MigrationAdapter(builder: builder)
        case .openmemory: return OpenMemoryAdapter(builder: builder, userID: openMemoryUser)
        case .generic: return GenericAdapter(builder: builder)
        }
    }
}

/// A buffer handed to `concurrentPerform` workers that each touch disjoint elements.
///
/// `@unchecked Sendable` because the compiler cannot see that worker `w` only reads and writes
/// the elements it owns (index `w` of the adapters, indexes `w + k * workers` of the slots), and
/// the buffer outlives the workers (`concurrentPerform` returns when all are done).
private struct SendableBuffer<Element>: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<Element>
    init(_ base: UnsafeMutableBufferPointer<Element>) { self.base = base }
}
