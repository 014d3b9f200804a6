import Foundation

/// The one error of the Mem0 wire layer: what went wrong, the HTTP status, the server's
/// `detail`, and whether the request may have been applied.
///
/// Codes follow the status classes the official SDK uses (contract §8.2) and never change
/// their spelling, so callers and ledgers can store them.
///
/// ```swift
/// catch let error as MemoryAPIError where error.code == .rateLimited { ... }
/// ```
public struct MemoryAPIError: Error, Sendable, Hashable {
    /// A stable, open set of error codes; new codes never break callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case validation, authentication
            case notFound = "not_found"
            case quotaExceeded = "quota_exceeded"
            case rateLimited = "rate_limited"
            case unavailable, server, timeout, connection, decoding
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// 400, 409, 422, or a request refused before it was sent (a bad filter, too many items).
        public static let validation = Code(.validation)
        /// 401 or 403: the key is missing, wrong, or not allowed here.
        public static let authentication = Code(.authentication)
        /// 404.
        public static let notFound = Code(.notFound)
        /// 413: the body or the account's quota is too large.
        public static let quotaExceeded = Code(.quotaExceeded)
        /// 429.
        public static let rateLimited = Code(.rateLimited)
        /// 408, 502, 503, 504: the platform or a proxy in front of it is not answering.
        public static let unavailable = Code(.unavailable)
        /// 500 or any other unexpected status.
        public static let server = Code(.server)
        /// No answer in time.
        public static let timeout = Code(.timeout)
        /// The connection failed or was dropped.
        public static let connection = Code(.connection)
        /// A body memport could not understand.
        public static let decoding = Code(.decoding)

        /// The stable spelling, e.g. `rate_limited`.
        public var description: String { base.rawValue }

        /// The code for an HTTP status, as the SDK classifies it.
        public static func forStatus(_ status: Int) -> Code {
            switch status {
            case 400, 409, 422: return .validation
            case 401, 403: return .authentication
            case 404: return .notFound
            case 413: return .quotaExceeded
            case 429: return .rateLimited
            case 408, 502, 503, 504: return .unavailable
            default: return .server
            }
        }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human sentence saying what went wrong.
    public var message: String
    /// The HTTP status, when a response came back.
    public var status: Int?
    /// The server's own words (`detail`, `error` or `message` of its JSON body).
    public var detail: String?
    /// The JSON path of a bad value in a request, e.g. `filters.AND[2].created_at.gte`.
    public var path: String?
    /// Seconds the server asked us to wait (`Retry-After`).
    public var retryAfter: Double?
    /// `true` when the request may have reached the server and been applied: a connection
    /// dropped after the body was sent. A 429 or 503 was not applied.
    public var mayHaveBeenApplied: Bool

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, status: Int? = nil, detail: String? = nil, path: String? = nil,
        retryAfter: Double? = nil, mayHaveBeenApplied: Bool = false
    ) {
        self.code = code
        self.message = message
        self.status = status
        self.detail = detail
        self.path = path
        self.retryAfter = retryAfter
        self.mayHaveBeenApplied = mayHaveBeenApplied
    }

    /// A validation error at a JSON path: `filters.AND[2].created_at.gte: expected a date`.
    public static func invalid(at path: String, _ reason: String) -> MemoryAPIError {
        MemoryAPIError(.validation, "\(path): \(reason)", path: path)
    }

    /// Builds the error for an HTTP response, taking the server's words from its body.
    ///
    /// The body may be any of the shapes of contract §8.1: `{"detail"}`, `{"error"}`,
    /// `{"message"}`, `{"error", "details": {"message"}}`, a list of strings, or text.
    public static func fromResponse(status: Int, body: Data, retryAfter: Double? = nil) -> MemoryAPIError {
        let detail = extractDetail(from: body)
        var message = "HTTP \(status)"
        if let detail { message += ": \(detail)" }
        return MemoryAPIError(
            .forStatus(status), message, status: status, detail: detail, retryAfter: retryAfter,
            mayHaveBeenApplied: false)
    }

    /// The most useful human text of an error body, truncated to 500 characters.
    public static func extractDetail(from body: Data) -> String? {
        if body.isEmpty { return nil }
        if let json = try? JSONDecoder().decode(JSONValue.self, from: body) {
            switch json {
            case .object(let o):
                for key in ["detail", "error", "message"] {
                    if let s = o[key]?.stringValue, key != "error" || o["details"] == nil { return truncate(s) }
                }
                if let s = o["details"]?["message"]?.stringValue { return truncate(s) }
                if let s = o["error"]?.stringValue { return truncate(s) }
                if let s = o["detail"] { return truncate(s.jsonString()) }
            case .array(let a):
                let strings = a.compactMap(\.stringValue)
                if !strings.isEmpty { return truncate(strings.joined(separator: "; ")) }
            case .string(let s):
                return truncate(s)
            default:
                break
            }
        }
        return truncate(String(decoding: body, as: UTF8.self))
    }

    /// Cuts text to `limit` characters, marking the cut.
    public static func truncate(_ text: String, limit: Int = 500) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }

    /// A readable account of any error, with `DecodingError` paths spelled out.
    public static func describe(_ error: any Error) -> String {
        if let e = error as? MemoryAPIError { return e.message }
        guard let d = error as? DecodingError else { return "\(error)" }
        func path(_ ctx: DecodingError.Context) -> String {
            let p = codingPathString(ctx.codingPath, root: "")
            return p.isEmpty ? "" : "\(p): "
        }
        switch d {
        case .typeMismatch(let type, let ctx): return "\(path(ctx))expected \(type); \(ctx.debugDescription)"
        case .valueNotFound(let type, let ctx): return "\(path(ctx))missing \(type) value"
        case .keyNotFound(let key, let ctx): return "\(path(ctx))missing key '\(key.stringValue)'"
        case .dataCorrupted(let ctx):
            var text = path(ctx) + ctx.debugDescription
            if let underlying = ctx.underlyingError as NSError?,
                let more = underlying.userInfo[NSDebugDescriptionErrorKey] as? String
            {
                text += " (\(more))"
            }
            return text
        @unknown default: return "\(d)"
        }
    }

    /// `a.b[2].c` for a coding path; `root` stands first when given.
    public static func codingPathString(_ path: [any CodingKey], root: String) -> String {
        var out = root
        for key in path {
            if let i = key.intValue {
                out += "[\(i)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return out
    }
}

extension MemoryAPIError: CustomStringConvertible, LocalizedError {
    /// `[rate_limited] HTTP 429: slow down (retry after 2s)`.
    public var description: String {
        var text = "[\(code)] \(message)"
        if let retryAfter { text += " (retry after \(retryAfter)s)" }
        if mayHaveBeenApplied { text += " (the request may have been applied)" }
        return text
    }

    /// Same as `description`.
    public var errorDescription: String? { description }
}
