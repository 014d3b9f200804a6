import Reading

/// How fast a job sends: a number of requests per minute, or unpaced.
///
/// A spec's rate is optional: `nil` learns the target's limit (from 950 a minute on the hosted
/// platform, unpaced at first on any other host; the embedded store is never paced). A rate
/// given is held fixed. On the command line and in
/// pipeline files `0` spells ``unpaced``, against any host, the hosted one included.
public enum Rate: Sendable, Hashable, Codable, CustomStringConvertible {
    /// No pacing at all.
    case unpaced
    /// At most this many requests a minute (at least 1).
    case perMinute(Int)

    /// `0` is unpaced, a positive number is requests per minute.
    ///
    /// - Throws: `PipelineError` `.usage` for a negative number.
    public init(requestsPerMinute: Int) throws {
        guard requestsPerMinute >= 0 else {
            throw PipelineError(
                .usage, "rate must be 0 (unpaced) or more requests per minute, got \(requestsPerMinute)")
        }
        self = requestsPerMinute == 0 ? .unpaced : .perMinute(requestsPerMinute)
    }

    /// Requests per minute, 0 for unpaced (the spelling of flags, files and ledgers).
    public var requestsPerMinute: Int {
        switch self {
        case .unpaced: return 0
        case .perMinute(let n): return n
        }
    }

    /// `unpaced` or `N/min`.
    public var description: String {
        switch self {
        case .unpaced: return "unpaced"
        case .perMinute(let n): return "\(n)/min"
        }
    }

    /// Decodes the number form.
    public init(from decoder: any Decoder) throws {
        let n = try decoder.singleValueContainer().decode(Int.self)
        do {
            try self.init(requestsPerMinute: n)
        } catch let error as PipelineError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    /// Encodes the number form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(requestsPerMinute)
    }
}
