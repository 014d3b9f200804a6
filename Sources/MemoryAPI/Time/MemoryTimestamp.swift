import Foundation

/// Parses and formats the timestamps Mem0 sends: ISO 8601 with or without fractional seconds,
/// with `Z`, `±HH:MM`, `±HHMM` or no offset (read as UTC), and date-only `YYYY-MM-DD`.
///
/// Written by hand because `DateFormatter` is slow and not safe to share, and
/// `ISO8601DateFormatter` accepts either fractional seconds or none, never both.
///
/// ```swift
/// MemoryTimestamp.parse("2024-07-20T01:30:36.275141-07:00")  // 2024-07-20 08:30:36.275141 UTC
/// MemoryTimestamp.format(date)                                 // "2024-07-20T08:30:36.275141Z"
/// ```
public enum MemoryTimestamp {
    /// A parsed timestamp and whether it named a whole day.
    public struct Parsed: Sendable, Hashable {
        /// The instant: midnight UTC for a date-only value.
        public var date: Date
        /// `true` when the text was a bare `YYYY-MM-DD`.
        public var isDateOnly: Bool
    }

    /// Parses a timestamp or a date; `nil` when the text is neither.
    public static func parse(_ text: String) -> Date? {
        parseDetailed(text)?.date
    }

    /// Parses a timestamp or a date and says which it was.
    public static func parseDetailed(_ text: String) -> Parsed? {
        var bytes = Array(text.utf8)
        while let last = bytes.last, last == 0x20 { bytes.removeLast() }
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= bytes.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = bytes[i + k]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < bytes.count, bytes[i] == c else { return false }
            i += 1
            return true
        }
        // An expanded year (ISO 8601 `±YYYYY`), as ``format(_:)`` writes an instant outside 0001...9999.
        var sign = 0
        if let first = bytes.first, first == 0x2B || first == 0x2D {
            sign = first == 0x2D ? -1 : 1
            i = 1
        }
        var yearDigits = 0
        while i + yearDigits < bytes.count, bytes[i + yearDigits] >= 0x30 && bytes[i + yearDigits] <= 0x39 {
            yearDigits += 1
        }
        guard sign == 0 ? yearDigits == 4 : (4...11).contains(yearDigits), let unsignedYear = digits(yearDigits)
        else { return nil }
        let year = sign < 0 ? -unsignedYear : unsignedYear
        guard expect(0x2D), let month = digits(2), expect(0x2D), let day = digits(2) else {
            return nil
        }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        if i == bytes.count {
            return Parsed(date: Date(timeIntervalSince1970: Double(days) * 86_400), isDateOnly: true)
        }
        guard i < bytes.count, bytes[i] == 0x54 || bytes[i] == 0x74 || bytes[i] == 0x20 else { return nil }
        i += 1
        guard let hour = digits(2), expect(0x3A), let minute = digits(2) else { return nil }
        var second = 0
        var fraction = 0.0
        if expect(0x3A) {
            guard let s = digits(2) else { return nil }
            second = s
            if i < bytes.count, bytes[i] == 0x2E || bytes[i] == 0x2C {
                i += 1
                var scale = 0.1
                var any = false
                while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 {
                    fraction += Double(bytes[i] - 0x30) * scale
                    scale /= 10
                    i += 1
                    any = true
                }
                guard any else { return nil }
            }
        }
        guard hour <= 24, minute <= 59, second <= 60 else { return nil }
        var offset = 0
        if i < bytes.count {
            let c = bytes[i]
            if c == 0x5A || c == 0x7A {
                i += 1
            } else if c == 0x2B || c == 0x2D {
                i += 1
                guard let oh = digits(2) else { return nil }
                var om = 0
                if expect(0x3A) {
                    guard let m = digits(2) else { return nil }
                    om = m
                } else if i < bytes.count {
                    guard let m = digits(2) else { return nil }
                    om = m
                }
                guard oh <= 23, om <= 59 else { return nil }
                offset = (oh * 3600 + om * 60) * (c == 0x2D ? -1 : 1)
            } else {
                return nil
            }
        }
        guard i == bytes.count else { return nil }
        let seconds = Double(days) * 86_400 + Double(hour * 3600 + minute * 60 + second - offset) + fraction
        return Parsed(date: Date(timeIntervalSince1970: seconds), isDateOnly: false)
    }

    /// Formats an instant as UTC ISO 8601 with microseconds: `2024-07-20T08:30:36.275141Z`.
    ///
    /// Never traps: an instant outside the years 0001...9999 (a value stored before memport
    /// checked them) gets an ISO 8601 expanded year (`+56886-03-01T00:00:00.000000Z`,
    /// `-1200-01-01T…`), which ``parse(_:)`` reads back; one too far for any calendar (beyond
    /// ±3e18 seconds) or not finite is written as its seconds since 1970, e.g. `1e+300`.
    public static func format(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        guard t.isFinite, abs(t) < 3e18 else { return "\(t)" }
        var whole = t.rounded(.down)
        var fraction = ((t - whole) * 1_000_000).rounded()
        if fraction >= 1_000_000 {
            whole += 1
            fraction -= 1_000_000
        }
        let total = Int64(whole)
        let us = Int64(fraction)
        var days = total / 86_400
        var rem = total % 86_400
        if rem < 0 {
            rem += 86_400
            days -= 1
        }
        let (y, m, d) = civilFromDays(Int(days))
        return year(y) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T" + pad(Int(rem / 3600), 2) + ":"
            + pad(Int(rem % 3600 / 60), 2) + ":" + pad(Int(rem % 60), 2) + "." + pad(Int(us), 6) + "Z"
    }

    /// The first instant memport stores: 0001-01-01T00:00:00Z, in seconds since 1970.
    public static let earliestSeconds: Double = -62_135_596_800
    /// The end (exclusive) of what memport stores: 10000-01-01T00:00:00Z, in seconds since 1970.
    public static let endSeconds: Double = 253_402_300_800

    /// `true` for seconds since 1970 within the years 0001...9999.
    public static func isStorable(_ seconds: Double) -> Bool {
        seconds.isFinite && seconds >= earliestSeconds && seconds < endSeconds
    }

    /// Seconds since 1970 from a number documented as seconds that may have been sent in
    /// milliseconds or microseconds, told apart by magnitude: below 1e10 it is seconds
    /// (1653...2286), below 1e13 milliseconds, below 1e16 microseconds; anything larger (or not
    /// finite) is nil, never a date thousands of years ahead.
    ///
    /// Idempotent: seconds it returns read as seconds again.
    public static func epochSeconds(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        let magnitude = abs(value)
        if magnitude < 1e10 { return value }
        if magnitude < 1e13 { return value / 1e3 }
        if magnitude < 1e16 { return value / 1e6 }
        return nil
    }

    /// What ``epochSeconds(_:)`` accepts, for error messages.
    public static let epochRule =
        "must be seconds since 1970 (milliseconds and microseconds are told apart by magnitude), below 1e16 in magnitude"

    /// Whole seconds since 1970 of an instant, rounded down; nil outside the years 0001...9999.
    public static func wholeSeconds(_ date: Date) -> Int64? {
        let t = date.timeIntervalSince1970
        guard isStorable(t) else { return nil }
        return Int64(t.rounded(.down))
    }

    private static func year(_ y: Int) -> String {
        if (1...9999).contains(y) { return pad(y, 4) }
        return (y < 0 ? "-" : "+") + pad(abs(y), 4)
    }

    /// Formats the UTC day of an instant as `YYYY-MM-DD`.
    public static func formatDay(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        guard t.isFinite, abs(t) < 3e18 else { return "\(t)" }
        let days = Int((t / 86_400).rounded(.down))
        let (y, m, d) = civilFromDays(days)
        return year(y) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    /// `true` when `text` is a valid `YYYY-MM-DD` date.
    public static func isDay(_ text: String) -> Bool {
        parseDetailed(text)?.isDateOnly == true
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
