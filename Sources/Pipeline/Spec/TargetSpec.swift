import Foundation
import Reading

/// Where a job delivers, parsed once from `embedded:PATH` or an `http(s)://` base URL.
///
/// ```swift
/// let target = try TargetSpec("embedded:./memport.db")   // .embedded(path: "./memport.db")
/// let hosted = try TargetSpec("https://api.mem0.ai")      // .http(URL)
/// ```
///
/// It is stored (ledgers, pipeline files) as the string the user wrote, so job ids and recorded
/// specs keep their spelling.
public enum TargetSpec: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A `MemoryStore` SQLite file opened in-process.
    case embedded(path: String)
    /// A Mem0 HTTP API: the hosted platform or `memport serve`.
    case http(URL)

    /// Parses `embedded:PATH` or `http(s)://host[:port][/prefix]`.
    ///
    /// - Throws: `PipelineError` `.usage` naming what is wrong.
    public init(_ text: String) throws {
        if text.hasPrefix("embedded:") {
            let path = String(text.dropFirst("embedded:".count))
            guard !path.isEmpty else {
                throw PipelineError(.usage, "embedded: needs a path, e.g. embedded:./memport.db")
            }
            self = .embedded(path: path)
            return
        }
        guard text.hasPrefix("http://") || text.hasPrefix("https://") else {
            throw PipelineError(.usage, "target must be embedded:PATH or an http(s):// URL, got '\(text)'")
        }
        guard let url = URL(string: text), let host = url.host, !host.isEmpty else {
            throw PipelineError(.usage, "target is not a valid http(s)://host[:port][/prefix] URL: '\(text)'")
        }
        self = .http(url)
    }

    /// The string form: `embedded:PATH` or the URL as given.
    public var description: String {
        switch self {
        case .embedded(let path): return "embedded:" + path
        case .http(let url): return url.absoluteString
        }
    }

    /// What to show the user for it: the embedded path, or the URL without credentials or query.
    public var displayName: String {
        switch self {
        case .embedded(let path): return "embedded:" + path
        case .http(let url): return HTTPTarget.describe(url.absoluteString)
        }
    }

    /// Decodes the string form.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch let error as PipelineError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    /// Encodes the string form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
