/// The import front end as an `AsyncSequence` of events: each iteration opens the sources
/// anew and pulls one record at a time, so a slow consumer slows the reading and memory stays
/// bounded.
///
/// ```swift
/// for await event in ImportEvents(sources: sources, options: options) { ... }
/// ```
public struct ImportEvents: AsyncSequence, Sendable {
    /// The sources, in order.
    public var sources: [InputSource]
    /// The options.
    public var options: ImportOptions

    /// Creates the sequence.
    public init(sources: [InputSource], options: ImportOptions) {
        self.sources = sources
        self.options = options
    }

    /// Pulls events from an `ImportReader` it owns.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let reader: ImportReader

        /// The next event, or `nil` at the end.
        public mutating func next() async -> ImportEvent? { reader.next() }
    }

    /// Starts reading.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(reader: ImportReader(sources: sources, options: options))
    }
}
