/// The containers memport reads, by the name `--format` takes.
public enum InputFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// One JSON value per line.
    case ndjson
    /// A top-level array, object(s) or Mem0 page envelope.
    case json
    /// RFC 4180 CSV.
    case csv
}
