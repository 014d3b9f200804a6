/// Where a store reader stands, in the store's own stable key: enough to open the store again
/// and continue with the point after the last batch it gave, so an export of a store resumes
/// without reading a point twice or skipping one.
///
/// The key is the order the reader pages in: Chroma's `embeddings.id` (the segment's row id, as
/// decimal text), the TypeScript store's `vectors.id`, a pgvector table's `id` (as text). Chroma
/// gives the points still only in its log after its segment's rows; `logged` counts those given.
///
/// ```swift
/// let reader = try StoreReaders.open(spec, from: saved)   // continues after `saved`
/// ```
public struct StorePosition: Sendable, Hashable, Codable {
    /// The key of the last row read; nil before the first.
    public var after: String?
    /// Chroma only: the segment is read to its end and this many of the points still only in the
    /// log were given; nil while the segment is being read.
    public var logged: Int?
    /// Every point was given.
    public var ended: Bool

    /// Creates a position.
    public init(after: String? = nil, logged: Int? = nil, ended: Bool = false) {
        self.after = after
        self.logged = logged
        self.ended = ended
    }

    /// The start of the store.
    public static let start = StorePosition()
}
