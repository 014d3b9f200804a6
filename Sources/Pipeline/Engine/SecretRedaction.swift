import Foundation
import Reading

/// Takes credential-shaped text out of messages memport writes to files: Mem0 keys (`m0-...`),
/// `Token ...` and `Bearer ...` headers, and `api_key=...`-style pairs. A target's error text
/// may quote the request it refused; the rejects file must never hold a key.
enum SecretRedaction {
    /// What a redacted span becomes.
    static let mark = "[redacted]"

    private static let patterns: [NSRegularExpression] = [
        #"\bm0-[A-Za-z0-9_\-]{8,}"#,
        #"(?i)\b(token|bearer)\s+[A-Za-z0-9._~+/=\-]{8,}"#,
        #"(?i)\b(api[_-]?key|authorization|x-api-key|password|secret)(["']?\s*[:=]\s*["']?)[^\s"',;}]{6,}"#,
    ].map { try! NSRegularExpression(pattern: $0) }  // Literal patterns: a bad one fails every test.

    /// The text with credential-shaped spans replaced by `[redacted]`.
    static func redact(_ text: String) -> String {
        var out = text
        for (i, pattern) in patterns.enumerated() {
            let range = NSRange(out.startIndex..., in: out)
            let template: String
            switch i {
            case 1: template = "$1 " + mark
            case 2: template = "$1$2" + mark
            default: template = mark
            }
            out = pattern.stringByReplacingMatches(in: out, range: range, withTemplate: template)
        }
        return out
    }
}
