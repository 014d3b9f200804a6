/// Raw bytes that do not come from a file descriptor: a zip entry, inflated as it is read.
///
/// `ByteStream` pulls from a provider exactly as it reads a file, so every format reads the
/// entry streaming, and a gzip entry (`memories.jsonl.gz`) is inflated once more on the way.
public protocol ByteProvider: AnyObject {
    /// Fills up to `capacity` bytes at `buffer`; 0 means the end.
    ///
    /// - Throws: `ReadingError` naming the archive and the byte offset where it fails.
    func read(into buffer: UnsafeMutableRawPointer, capacity: Int) throws -> Int
}
