/// What memport detected about one input: its container, its preset, whether it is gzip.
public struct SourceReport: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file as named, or `-`.
    public var file: String
    /// The container read.
    public var format: InputFormat
    /// The adapter used; `nil` when none could be detected.
    public var preset: ImportPreset?
    /// `true` when the input was gzip.
    public var gzip: Bool
    /// `true` when the format was detected, `false` when `--format` forced it.
    public var formatDetected: Bool
    /// `true` when the preset was detected, `false` when `--preset` forced it.
    public var presetDetected: Bool
    /// The fingerprint for the job ledger.
    public var fingerprint: SourceFingerprint

    /// Creates a report.
    public init(
        file: String, format: InputFormat, preset: ImportPreset?, gzip: Bool, formatDetected: Bool,
        presetDetected: Bool, fingerprint: SourceFingerprint
    ) {
        self.file = file
        self.format = format
        self.preset = preset
        self.gzip = gzip
        self.formatDetected = formatDetected
        self.presetDetected = presetDetected
        self.fingerprint = fingerprint
    }

    enum CodingKeys: String, CodingKey {
        case file, format, preset, gzip, fingerprint
        case formatDetected = "format_detected"
        case presetDetected = "preset_detected"
    }

    /// `chats.jsonl.gz: ndjson (gzip, detected), preset openai (detected)`.
    public var description: String {
        let how = formatDetected ? "detected" : "--format"
        let container = gzip ? "\(format.rawValue) (gzip, \(how))" : "\(format.rawValue) (\(how))"
        let adapter =
            preset.map { "preset \($0.rawValue) (\(presetDetected ? "detected" : "--preset"))" } ?? "no preset"
        return "\(file): \(container), \(adapter)"
    }
}
