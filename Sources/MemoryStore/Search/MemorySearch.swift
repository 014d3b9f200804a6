import MemoryAPI

/// A keyword search: the query text, the filter it runs under, and how many results to keep.
///
/// Relevance is SQLite FTS5's BM25 over the memory text (Porter stemming, any query word may
/// match), scaled to 0...1 by dividing by the best match's score, so the best hit scores 1 and
/// `threshold` drops hits weaker than that fraction of it.
public struct MemorySearch: Sendable, Hashable {
    /// The longest query, in UTF-8 bytes (4 KiB); a longer one is refused.
    public static let maxQueryBytes = 4096

    /// The query text.
    public var query: String
    /// The filter the hits must satisfy.
    public var filter: MemoryFilter?
    /// The most results to return (1 to 1000; default 10).
    public var topK: Int
    /// The lowest score kept, 0 to 1 (0 keeps every hit).
    public var threshold: Double
    /// Include memories past their expiration date.
    public var showExpired: Bool

    /// Creates a search.
    public init(query: String, filter: MemoryFilter?, topK: Int = 10, threshold: Double = 0, showExpired: Bool = false)
    {
        self.query = query
        self.filter = filter
        self.topK = topK
        self.threshold = threshold
        self.showExpired = showExpired
    }

    /// The FTS5 query: every word of the text, quoted, ORed; nil when the text has no word.
    var ftsQuery: String? {
        var words: [String] = []
        var current = ""
        for ch in query.unicodeScalars {
            if ch.properties.isAlphabetic || ch.properties.numericType != nil {
                current.unicodeScalars.append(ch)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        if words.isEmpty { return nil }
        var seen = Set<String>()
        let unique = words.map { $0.lowercased() }.filter { seen.insert($0).inserted }
        return unique.map { "\"\($0)\"" }.joined(separator: " OR ")
    }
}
