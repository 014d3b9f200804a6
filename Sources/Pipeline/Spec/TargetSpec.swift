import Foundation
import MemoryClient
import Reading

/// Where a job delivers, parsed once from `embedded:PATH`, an `http(s)://` base URL, or `mem0`.
///
/// ```swift
/// let target = try TargetSpec("embedded:./memport.db")   // .embedded(path: "./memport.db")
/// let hosted = try TargetSpec("https://api.mem0.ai")      // .http(URL)
/// let cli = try TargetSpec("mem0")                        // .http($MEM0_BASE_URL, else the hosted platform)
/// ```
///
/// It is stored (ledgers, pipeline files) as the string the user wrote, so job ids and recorded
/// specs keep their spelling; `mem0` is stored as the URL it stood for when it was parsed, so a
/// job (and its ledger) belongs to one host and a resume under another `MEM0_BASE_URL` cannot
/// deliver the rest of it elsewhere.
public enum TargetSpec: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A `MemoryStore` SQLite file opened in-process.
    case embedded(path: String)
    /// A Mem0 HTTP API: the hosted platform or `memport serve`.
    case http(URL)

    /// The spec that stands for the Mem0 the official `mem0` CLI talks to.
    public static let mem0 = "mem0"

    /// The hosted platform, where `mem0` points when `MEM0_BASE_URL` is not set.
    public static let hostedPlatform = MemoryClientConfiguration.defaultBaseURL

    /// Parses `embedded:PATH`, `http(s)://host[:port][/prefix]`, or `mem0`: the base URL the
    /// official `mem0` CLI would use from the environment, i.e. `$MEM0_BASE_URL` (trailing
    /// slashes dropped, as the CLI drops them) when it is set and not blank, else the hosted
    /// platform. The key stays in `MEM0_API_KEY`, as for any HTTP target.
    ///
    /// - Parameter environment: where `MEM0_BASE_URL` is looked up.
    /// - Throws: `PipelineError` `.usage` naming what is wrong (for `mem0`, naming `MEM0_BASE_URL`).
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        if text == Self.mem0 {
            let url = Self.mem0BaseURL(environment)
            guard url.hasPrefix("http://") || url.hasPrefix("https://"), let parsed = try? TargetSpec(url) else {
                throw PipelineError(
                    .usage,
                    "mem0 stands for MEM0_BASE_URL, which is not an http(s)://host[:port][/prefix] URL: '"
                        + TargetRedaction.redacted(url) + "'")
            }
            self = parsed
            return
        }
        if text.hasPrefix("embedded:") {
            let path = String(text.dropFirst("embedded:".count))
            guard !path.isEmpty else {
                throw PipelineError(.usage, "embedded: needs a path, e.g. embedded:./memport.db")
            }
            self = .embedded(path: path)
            return
        }
        guard text.hasPrefix("http://") || text.hasPrefix("https://") else {
            throw PipelineError(.usage, "target must be embedded:PATH, an http(s):// URL or mem0, got '\(text)'")
        }
        guard let url = URL(string: text), let host = url.host, !host.isEmpty else {
            throw PipelineError(.usage, "target is not a valid http(s)://host[:port][/prefix] URL: '\(text)'")
        }
        self = .http(url)
    }

    /// The base URL `mem0` stands for: `$MEM0_BASE_URL` without trailing slashes, else the
    /// hosted platform.
    public static func mem0BaseURL(_ environment: [String: String]) -> String {
        var base = environment["MEM0_BASE_URL"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        while base.hasSuffix("/") { base.removeLast() }
        return base.isEmpty ? hostedPlatform : base
    }

    /// The string form: `embedded:PATH` or the URL as given (for `mem0`, the URL it stood for).
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
