import Foundation

/// Reads a `Retry-After` header: delay-seconds (`"2"`, `"1.5"`) or an HTTP-date
/// (`"Wed, 21 Oct 2015 07:28:00 GMT"`, RFC 9110 §10.2.3, plus the obsolete RFC 850 and asctime forms).
public enum RetryAfter {
    /// The seconds to wait from `now`, never negative; nil when the value is not understood.
    public static func seconds(from value: String, now: Date) -> Double? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return nil }
        if let s = Double(text) {
            guard s.isFinite, s >= 0 else { return nil }
            return s
        }
        guard let date = httpDate(text) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    private static let formats = [
        "EEE, dd MMM yyyy HH:mm:ss zzz",  // IMF-fixdate
        "EEEE, dd-MMM-yy HH:mm:ss zzz",  // RFC 850
        "EEE MMM d HH:mm:ss yyyy",  // asctime
    ]

    /// Parses an HTTP-date in any of its three forms.
    public static func httpDate(_ text: String) -> Date? {
        for format in formats {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "GMT")
            f.dateFormat = format
            if let d = f.date(from: text) { return d }
        }
        return nil
    }
}
