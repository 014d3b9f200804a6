import AsyncHTTPClient
import Foundation
import Synchronization

/// Parsed URLs by their text, so a URL sent again is not parsed again (a bounded cache: it
/// starts over when full, as calls by memory id each have a URL of their own).
final class URLCache: Sendable {
    static let capacity = 256
    private let parsed = Mutex<[String: URL]>([:])

    /// The URL for `text`; fails as `HTTPClient.Request` does for text that is no URL.
    func url(_ text: String) throws -> URL {
        if let url = parsed.withLock({ $0[text] }) { return url }
        guard let url = URL(string: text) else { throw HTTPClientError.invalidURL }
        parsed.withLock { cache in
            if cache.count >= Self.capacity { cache.removeAll(keepingCapacity: true) }
            cache[text] = url
        }
        return url
    }
}
