import MemoryAPI

/// Parses LoCoMo's session dates, `1:56 pm on 8 May, 2023`, into Unix seconds (read as UTC).
///
/// ```swift
/// LoCoMoDate.parse("1:56 pm on 8 May, 2023")  // 1683554160
/// ```
public enum LoCoMoDate {
    static let months = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ]

    /// The Unix seconds of a LoCoMo date, or `nil` when the text has another shape or a year
    /// outside 1 to 9999.
    public static func parse(_ text: String) -> Int64? {
        let lower = text.lowercased().trimmingCharacters(in: " ")
        guard let on = lower.range(of: " on ") else { return nil }
        let time = lower[..<on.lowerBound].trimmingCharacters(in: " ")
        let date = lower[on.upperBound...].replacingOccurrences(of: ",", with: " ")
        // Time: h:mm am|pm
        let timeParts = time.split(separator: " ")
        guard timeParts.count == 2, let meridiem = timeParts.last, meridiem == "am" || meridiem == "pm" else {
            return nil
        }
        let hm = timeParts[0].split(separator: ":")
        guard hm.count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (1...12).contains(h), (0..<60).contains(m) else {
            return nil
        }
        let hour = (h % 12) + (meridiem == "pm" ? 12 : 0)
        // Date: D Month YYYY
        let dateParts = date.split(separator: " ")
        guard dateParts.count == 3, let day = Int(dateParts[0]), let year = Int(dateParts[2]),
            let monthIndex = months.firstIndex(where: { $0 == dateParts[1] || $0.prefix(3) == dateParts[1] }),
            (1...31).contains(day), (1...9999).contains(year)
        else { return nil }
        let days = MemoryTimestamp.daysFromCivil(year: year, month: monthIndex + 1, day: day)
        return Int64(days) * 86_400 + Int64(hour * 3600 + m * 60)
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
