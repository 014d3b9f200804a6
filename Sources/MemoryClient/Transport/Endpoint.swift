import Foundation
import NIOHTTP1

/// One HTTP request of the Mem0 contract, before it meets the network: method, path (always
/// with its trailing slash), query, JSON body, and what sending it twice would do.
struct Endpoint: Sendable {
    /// What a call does to the server's state; decides retries and ambiguity.
    enum Effect: Sendable, Hashable {
        /// Changes nothing (get, list, search, ping).
        case read
        /// Changes state, but sending it twice has the effect of once (update, delete, batch).
        case idempotentWrite
        /// Sending it twice may create twice (add).
        case write

        /// Whether a repeat is harmless.
        var isIdempotent: Bool { self != .write }
        /// Whether the call changes state.
        var changesState: Bool { self != .read }
    }

    /// A short name for logs and errors, e.g. `add`.
    var name: String
    var method: HTTPMethod
    /// The encoded path, e.g. `/v1/memories/a%2Fb/`.
    var path: String
    var query: [(name: String, value: String)]
    var body: Data?
    var effect: Effect

    init(
        _ name: String, _ method: HTTPMethod, path: String, query: [(name: String, value: String)] = [],
        body: Data? = nil, effect: Effect
    ) {
        self.name = name
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.effect = effect
    }

    /// `POST /v3/memories/add/`, for messages.
    var label: String { "\(method.rawValue) \(path)" }

    /// A path from segments; each is percent-encoded with no safe characters, and the path
    /// ends with a slash, as every SDK sends it (contract §1.3).
    static func path(_ segments: String...) -> String {
        "/" + segments.map(encodeSegment).joined(separator: "/") + "/"
    }

    /// Percent-encodes everything but the RFC 3986 unreserved characters.
    static func encodeSegment(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// The full URL under a base URL that may carry a path prefix (`http://h/prefix`).
    func url(base: String) -> String {
        target(under: base)
    }

    /// The path and query under `prefix` (a base URL, or the path of one), with no doubled
    /// slash between them: the URL of a request, or the target of its HTTP/1 request line.
    func target(under prefix: String) -> String {
        var prefix = prefix
        while prefix.hasSuffix("/") { prefix.removeLast() }
        var target = prefix + path
        if !query.isEmpty {
            target +=
                "?"
                + query.map { Self.encodeSegment($0.name) + "=" + Self.encodeSegment($0.value) }.joined(
                    separator: "&")
        }
        return target
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
