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
        var adapter: any RecordAdapter
    }

    /// How many records the formats read (including records that became rejects).
    public private(set) var recordCount = 0
    /// Uncompressed bytes read from finished sources plus the current one, for progress.
    public var uncompressedBytes: Int64 { finishedBytes + (current?.stream.uncompressedOffset ?? 0) }

    private let sources: [InputSource]
    private let options: ImportOptions
    private var sourceIndex = 0
    private var current: Current?
    private var queue: [ImportEvent] = []
    private var queueIndex = 0
    private var outputs: [AdapterOutput] = []
    private var finishedBytes: Int64 = 0

    /// How many records are read at most to detect a preset.
    static let sniffRecords = 16

    /// Creates a reader over sources, read in the order given.
    public init(sources: [InputSource], options: ImportOptions) {
        self.sources = sources
        self.options = options
    }

    /// The next event, or `nil` when every source is read.
    public func next() -> ImportEvent? {
        while true {
            if queueIndex < queue.count {
                let event = queue[queueIndex]
                queueIndex += 1
                if queueIndex == queue.count {
                    queue.removeAll(keepingCapacity: true)
                    queueIndex = 0
                }
                return event
            }
            guard var open = current else {
                guard sourceIndex < sources.count else { return nil }
                let source = sources[sourceIndex]
                sourceIndex += 1
                openSource(source)
                continue
            }
            let item: ReadItem?
            do {
                item = try open.reader.next()
            } catch let error as PipelineError {
                queue.append(.reject(ImportReject(error, at: RecordLocator(file: open.stream.source.name))))
                close(&open)
                continue
            } catch {
                queue.append(
                    .reject(
                        ImportReject(
                            reason: .unreadable, message: "\(error)",
                            locator: RecordLocator(file: open.stream.source.name))))
                close(&open)
                continue
            }
            switch item {
            case .none:
                close(&open)
            case .reject(let reject)?:
                recordCount += 1
                queue.append(.reject(reject))
            case .record(let record)?:
                recordCount += 1
                open.adapter.map(record, into: &outputs)
                current = open
                drainOutputs()
            }
        }
    }

    private func close(_ open: inout Current) {
        open.adapter.finish(into: &outputs)
        drainOutputs()
        finishedBytes += open.stream.uncompressedOffset
        current = nil
    }

    private func drainOutputs() {
        for output in outputs {
            switch output {
            case .unit(let unit): queue.append(.unit(unit))
            case .reject(let reject): queue.append(.reject(reject))
            case .skipped(let reason, let count): queue.append(.skipped(reason: reason, count: count))
            }
        }
        outputs.removeAll(keepingCapacity: true)
    }

    private func openSource(_ source: InputSource) {
        let stream: ByteStream
        let head: [UInt8]
        do {
            stream = try ByteStream(source, chunkSize: options.chunkSize)
            head = try stream.peek()
        } catch let error as PipelineError {
            queue.append(.sourceFailed(error))
            return
        } catch {
            queue.append(.sourceFailed(PipelineError(.unreadable, "\(error)", at: RecordLocator(file: source.name))))
            return
        }
        let format =
            options.format ?? FormatSniffer.detect(name: source.name, extension: source.formatExtension, head: head)
        let reader: any RecordReader
        switch format {
        case .ndjson: reader = NDJSONReader(stream: stream, maxRecordBytes: options.maxRecordBytes)
        case .json: reader = JSONStreamReader(stream: stream, maxRecordBytes: options.maxRecordBytes)
        case .csv:
            reader = CSVReader(stream: stream, maxRecordBytes: options.maxRecordBytes, columns: options.csvColumns)
        }
        // Detect the preset from the first records, which are kept and replayed.
        var preset = options.preset
        var held: [ReadItem] = []
        var failure: PipelineError?
        if preset == nil {
            do {
                while held.count < Self.sniffRecords, let item = try reader.next() {
                    held.append(item)
                    if case .record(let record) = item, let found = PresetSniffer.detect(record) {
                        preset = found
                        break
                    }
                }
            } catch let error as PipelineError {
                failure = error
            } catch {
                failure = PipelineError(.unreadable, "\(error)", at: RecordLocator(file: source.name))
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
            let error: PipelineError
            if let failure {
                error = failure
            } else if held.isEmpty {
                error = PipelineError(
                    .emptyInput, "the input holds no record", at: RecordLocator(file: source.name, line: 1))
            } else {
                error = PipelineError(
                    .unknownFormat, "cannot tell the preset from the first \(held.count) record(s); use --preset",
                    at: RecordLocator(file: source.name))
            }
            queue.append(.reject(ImportReject(error, at: RecordLocator(file: source.name))))
            finishedBytes += stream.uncompressedOffset
            return
        }
        var open = Current(
            stream: stream, reader: reader, adapter: Self.adapter(for: preset, stream: stream, options: options))
        for item in held {
            recordCount += 1
            switch item {
            case .reject(let reject): queue.append(.reject(reject))
            case .record(let record):
                open.adapter.map(record, into: &outputs)
                drainOutputs()
            }
        }
        if let failure {
            queue.append(.reject(ImportReject(failure, at: RecordLocator(file: source.name))))
            close(&open)
            return
        }
        current = open
    }

    /// The adapter for a preset.
    static func adapter(for preset: ImportPreset, stream: ByteStream, options: ImportOptions) -> any RecordAdapter {
        let builder = UnitBuilder(
            adapter: preset.rawValue, source: stream.fingerprint, options: options.adapter,
            defaultMaxMessages: preset == .locomo ? 2 : 50)
        switch preset {
        case .openai: return OpenAIAdapter(builder: builder)
        case .sharegpt: return ShareGPTAdapter(builder: builder)
        case .chatgpt: return ChatGPTAdapter(builder: builder)
        case .claude: return ClaudeAdapter(builder: builder)
        case .locomo: return LoCoMoAdapter(builder: builder)
        case .mem0: return Mem0DumpAdapter(builder: builder)
        case .generic: return GenericAdapter(builder: builder)
        }
    }
}
