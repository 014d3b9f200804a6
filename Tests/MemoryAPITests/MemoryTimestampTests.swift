import Foundation
import Testing

@testable import MemoryAPI

@Suite struct MemoryTimestampTests {
    @Test func parsesEveryShapeThePlatformSends() throws {
        let utc = try #require(MemoryTimestamp.parse("2024-07-20T08:30:36.275141Z"))
        #expect(MemoryTimestamp.parse("2024-07-20T01:30:36.275141-07:00") == utc)
        #expect(MemoryTimestamp.parse("2024-07-20T10:30:36.275141+0200") == utc)
        #expect(MemoryTimestamp.parse("2024-07-20T08:30:36.275141") == utc, "no offset reads as UTC")
        #expect(MemoryTimestamp.parse("2024-07-20 08:30:36.275141+00:00") == utc)
        #expect(MemoryTimestamp.parse("2026-01-15T10:30:00Z")?.timeIntervalSince1970 == 1_768_473_000)
        #expect(MemoryTimestamp.parse("2026-01-15T10:30Z")?.timeIntervalSince1970 == 1_768_473_000)
        let day = try #require(MemoryTimestamp.parseDetailed("2024-02-29"))
        #expect(day.isDateOnly && day.date.timeIntervalSince1970 == 1_709_164_800)
    }

    @Test func refusesWhatIsNotATimestamp() {
        for text in [
            "", "2024", "2024-13-01", "2023-02-29", "2024-01-01T25:00:00Z", "2024-01-01T10:00:00+", "yesterday",
            "2024-01-01T10:00:00.Z", "2024-01-01T10:00:00Zjunk",
        ] {
            #expect(MemoryTimestamp.parse(text) == nil, "\(text)")
        }
    }

    @Test func formatsUTCWithMicrosecondsAndRoundTrips() throws {
        let d = try #require(MemoryTimestamp.parse("1969-12-31T23:59:59.5Z"))
        #expect(MemoryTimestamp.format(d) == "1969-12-31T23:59:59.500000Z")
        for text in ["2024-07-20T08:30:36.275141Z", "2000-02-29T00:00:00.000000Z", "2099-12-31T23:59:59.999999Z"] {
            #expect(MemoryTimestamp.format(try #require(MemoryTimestamp.parse(text))) == text)
        }
        #expect(MemoryTimestamp.formatDay(try #require(MemoryTimestamp.parse("2024-07-20T23:59:59Z"))) == "2024-07-20")
    }

    /// Issue 13: a time out of range never traps; it formats with an expanded year (or its
    /// seconds) and reads back.
    @Test func formatsAnyInstantWithoutTrappingAndReadsItBack() throws {
        for seconds in [-99_999_999_999_999, 1.5e18, 1_700_000_000_000, -62_135_596_801, 253_402_300_800] {
            let text = MemoryTimestamp.format(Date(timeIntervalSince1970: seconds))
            #expect(text.hasPrefix("+") || text.hasPrefix("-"), "\(text)")
            #expect(MemoryTimestamp.parse(text)?.timeIntervalSince1970 == seconds, "\(text)")
        }
        #expect(MemoryTimestamp.format(Date(timeIntervalSince1970: 1e300)) == "1e+300")
        #expect(MemoryTimestamp.format(Date(timeIntervalSince1970: -.infinity)) == "-inf")
        #expect(MemoryTimestamp.formatDay(Date(timeIntervalSince1970: 1e300)) == "1e+300")
        #expect(MemoryTimestamp.parse("+2024-01-01") != nil && MemoryTimestamp.parse("+123456789012-01-01") == nil)
    }

    @Test func epochNumbersAreToldApartBySize() {
        #expect(MemoryTimestamp.epochSeconds(1_700_000_000) == 1_700_000_000)
        #expect(MemoryTimestamp.epochSeconds(1_700_000_000_000) == 1_700_000_000)
        #expect(MemoryTimestamp.epochSeconds(1_700_000_000_000_000) == 1_700_000_000)
        #expect(MemoryTimestamp.epochSeconds(-1_000_000_000) == -1_000_000_000)
        #expect(MemoryTimestamp.epochSeconds(1.5e18) == nil)
        #expect(MemoryTimestamp.epochSeconds(.nan) == nil)
        #expect(MemoryTimestamp.isStorable(0) && !MemoryTimestamp.isStorable(MemoryTimestamp.endSeconds))
        #expect(MemoryTimestamp.wholeSeconds(Date(timeIntervalSince1970: 1e18)) == nil)
    }
}
