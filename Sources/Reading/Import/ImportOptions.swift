import MemoryAPI

/// Everything that decides how inputs are read and mapped, whatever the command.
public struct ImportOptions: Sendable, Hashable {
    /// Forces the container (`--format`); `nil` detects it per file.
    public var format: InputFormat?
    /// Forces the adapter (`--preset`); `nil` detects it from the first record of each file.
    public var preset: ImportPreset?
    /// The adapters' options (scope defaults, infer, split limits, branches, mapping).
    public var adapter: AdapterOptions
    /// A record larger than this is a reject, never an out-of-memory (64 MiB by default).
    public var maxRecordBytes: Int
    /// CSV column names for files without a header row.
    public var csvColumns: [String]?
    /// The size of each read from disk.
    public var chunkSize: Int
    /// Threads that map records in parallel (output order never changes); 1, the default, maps on
    /// the caller's thread (on the shared 2-core bench machine more workers were slower).
    public var workers: Int

    /// Creates options.
    public init(
        format: InputFormat? = nil, preset: ImportPreset? = nil, adapter: AdapterOptions = AdapterOptions(),
        maxRecordBytes: Int = 64 << 20, csvColumns: [String]? = nil, chunkSize: Int = 1 << 20,
        workers: Int = 1
    ) {
        self.format = format
        self.preset = preset
        self.adapter = adapter
        self.maxRecordBytes = maxRecordBytes
        self.csvColumns = csvColumns
        self.chunkSize = chunkSize
        self.workers = workers
    }
}
