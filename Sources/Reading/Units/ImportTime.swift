import Foundation
import MemoryAPI

/// The `timestamp` of an add made from a record's time, checked where the record is read: a
/// time no store can keep is a reject naming the record and the field, never a trap or a
/// memory dated thousands of years ahead.
enum ImportTime {
    /// Whole seconds since 1970 from a number documented as seconds; milliseconds and
    /// microseconds are told apart by magnitude (`MemoryTimestamp.epochSeconds`).
    ///
    /// - Throws: `ReadingError` `.invalidTimestamp` naming `path` for anything larger.
    static func seconds(epoch value: Double, at locator: RecordLocator, path: String) throws(ReadingError) -> Int64 {
        guard let seconds = MemoryTimestamp.epochSeconds(value) else {
            throw ReadingError(
                .invalidTimestamp, "\(path) \(MemoryTimestamp.epochRule), got \(value)", at: locator, path: path)
        }
        return Int64(seconds.rounded(.down))
    }

    /// Whole seconds since 1970 of an instant within the years 0001 to 9999.
    ///
    /// - Throws: `ReadingError` `.invalidTimestamp` naming `path` for an instant outside them.
    static func seconds(_ date: Date, at locator: RecordLocator, path: String) throws(ReadingError) -> Int64 {
        guard let seconds = MemoryTimestamp.wholeSeconds(date) else {
            throw ReadingError(
                .invalidTimestamp,
                "\(path) is outside the years 0001 to 9999: \(MemoryTimestamp.format(date))", at: locator, path: path)
        }
        return seconds
    }
}
