import Foundation

/// Removes secrets from target URLs before anything is stored in a ledger or printed: the user
/// info of `http://user:KEY@host`, and query parameters whose names say they carry a secret
/// (`api_key`, `token`, `access_token`, `password`, `sig`, ...). Keys belong in the environment
/// variable `--api-key-env` names.
///
/// ```swift
/// TargetRedaction.redacted("http://me:m0-secret@host:8765/?token=x&region=eu")  // "http://host:8765/?region=eu"
/// ```
public enum TargetRedaction {
    /// Query parameter names (lowercased) that carry secrets, matched as substrings.
    static let secretNames = [
        "key", "token", "secret", "password", "passwd", "pwd", "auth", "sig", "credential", "session", "jwt",
        "bearer",
    ]

    /// The target without user info and without secret query parameters; other text unchanged.
    public static func redacted(_ target: String) -> String {
        guard let schemeEnd = target.range(of: "://") else { return target }
        let scheme = target[..<schemeEnd.upperBound]
        let rest = target[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var tail = String(rest[authorityEnd...])
        if let question = tail.firstIndex(of: "?") {
            let path = tail[..<question]
            let afterQuery = tail[tail.index(after: question)...]
            let fragmentStart = afterQuery.firstIndex(of: "#") ?? afterQuery.endIndex
            let query = afterQuery[..<fragmentStart]
            let fragment = afterQuery[fragmentStart...]
            let kept = query.split(separator: "&", omittingEmptySubsequences: false).filter { item in
                let name = (item.split(separator: "=", maxSplits: 1).first ?? "").lowercased()
                return !secretNames.contains { name.contains($0) }
            }
            tail = String(path) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&")) + String(fragment)
        }
        return String(scheme) + String(authority) + tail
    }

    /// `text` with every `http://` or `https://` URL in it redacted (for error messages).
    public static func scrubbing(_ text: String) -> String {
        guard text.contains("://") else { return text }
        var out = ""
        var rest = Substring(text)
        while let start = rest.range(of: "http", options: [.caseInsensitive]) {
            out += rest[..<start.lowerBound]
            let candidate = rest[start.lowerBound...]
            let end =
                candidate.firstIndex { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "'" || $0 == "\"" || $0 == "`" }
                ?? candidate.endIndex
            let token = String(candidate[..<end])
            let lower = token.lowercased()
            out += lower.hasPrefix("http://") || lower.hasPrefix("https://") ? redacted(token) : token
            rest = candidate[end...]
        }
        return out + rest
    }
}
