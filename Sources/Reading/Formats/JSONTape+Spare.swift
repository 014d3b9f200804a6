import Synchronization

extension JSONTape {
    /// The entry array of the last tape an adapter parsed, kept to parse its next record into: a
    /// record's tape is dropped once the record is mapped, so the array's storage is free again and
    /// the next record reuses it instead of allocating a new one (a few kilobytes per record). A
    /// tape still held elsewhere keeps its entries: the next parse then gets a new array. The
    /// entries of a very large record are not kept, so memory after it goes back to its usual size.
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
            // The entries of a huge record are let go with its tape, not kept for the rest.
            let kept = tape.entries.capacity <= Self.keptCapacity ? tape.entries : []
            entries.withLock { $0 = kept }
            return tape
        }

        /// The most entries kept between records (2 MB): a record larger than a few hundred
        /// kilobytes pays its own allocation, which its parse dwarfs.
        static let keptCapacity = 1 << 16
    }
}
