/// A streaming format: pulls bytes from a `ByteStream` and yields records one at a time, with a
/// buffer bounded by the record size limit.
public protocol RecordReader: AnyObject {
    /// The next record or reject, or `nil` at the end of the input.
    ///
    /// - Throws: `ReadingError` when the rest of the input cannot be read (a truncated gzip
    ///   stream, an unterminated array or quote); records yielded before stay valid.
    func next() throws -> ReadItem?
}
