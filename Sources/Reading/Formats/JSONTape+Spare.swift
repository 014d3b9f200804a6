import Synchronization

extension JSONTape {
    /// The entry array of the last tape an adapter parsed, kept to parse its next record into: a
    /// record's tape is dropped once the record is mapped, so the array's storage is free again and
    /// the next record reuses it instead of allocating a new one (a few kilobytes per record). A
    /// tape still held elsewhere keeps its entries: the next parse then gets a new array.
    ///
    /// Behind a mutex because adapters are values: copies of one share its `Spare`, and a copy
    /// may map on another thread.
    final class Spare: Sendable {
        private let entries = Mutex<[Entry]>([])

        /// Parses and validates one JSON value, as `JSONTape(parsing:)` does.
        ///
        /// - Throws: what `JSONTape(parsing:)` throws.
        func parse(_ bytes: [UInt8]) throws(ReadingError) -> JSONTape {
            let storage = entries.withLock { kept in
                var taken: [Entry] = []
                swap(&taken, &kept)
                return taken
            }
            let tape = try JSONTape(parsing: bytes, reusing: storage)
            entries.withLock { $0 = tape.entries }
            return tape
        }
    }
}
