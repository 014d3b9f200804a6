import Foundation
import NIOHTTP1

/// What came back for one attempt: the status, the headers and the whole body.
struct HTTPReply: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data

    /// The rate-limit headers, with HTTP dates read against `wallNow` (Unix seconds).
    func rateLimit(wallNow: Double) -> RateLimitHeaders {
        RateLimitHeaders(lookup: { headers.first(name: $0) }, wallNow: wallNow)
    }

    /// `true` for 2xx.
    var isSuccess: Bool { (200..<300).contains(status) }
}
