/// A list answer: the paginated envelope `{count, next, previous, results}` (contract §7), a
/// `{"results": [...]}` envelope, or a bare JSON array. All three decode; encoding writes the
/// shape that was read (or chosen).
///
/// ```swift
/// let page = try JSONDecoder().decode(Page<Memory>.self, from: body)
/// if let next = page.next { ... }
/// ```
public struct Page<Element: Sendable & Hashable & Codable>: Sendable, Hashable {
    /// How the list was (or will be) written.
    public enum Shape: String, Sendable, Hashable {
        /// `{count, next, previous, results}`.
        case paginated
        /// `{"results": [...]}`.
        case results
        /// A bare array.
        case list
    }

    /// The total number of matching items across all pages.
    public var count: Int
    /// The absolute URL of the next page, or nil on the last page.
    public var next: String?
    /// The absolute URL of the previous page, or nil on the first.
    public var previous: String?
    /// The items of this page.
    public var results: [Element]
    /// The shape.
    public var shape: Shape

    /// Creates a page.
    public init(count: Int, next: String? = nil, previous: String? = nil, results: [Element], shape: Shape = .paginated)
    {
        self.count = count
        self.next = next
        self.previous = previous
        self.results = results
        self.shape = shape
    }
}

extension Page: Codable {
    enum CodingKeys: String, CodingKey { case count, next, previous, results }

    /// Decodes an envelope, a results object, or a bare array.
    public init(from decoder: any Decoder) throws {
        if let list = try? decoder.singleValueContainer().decode([Element].self) {
            self.init(count: list.count, results: list, shape: .list)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let results = try c.decode([Element].self, forKey: .results)
        if c.contains(.count) {
            self.init(
                count: try c.decode(Int.self, forKey: .count), next: try c.decodeIfPresent(String.self, forKey: .next),
                previous: try c.decodeIfPresent(String.self, forKey: .previous), results: results, shape: .paginated)
        } else {
            self.init(count: results.count, results: results, shape: .results)
        }
    }

    /// Encodes the page in its shape.
    public func encode(to encoder: any Encoder) throws {
        switch shape {
        case .list:
            var c = encoder.singleValueContainer()
            try c.encode(results)
        case .results:
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(results, forKey: .results)
        case .paginated:
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(count, forKey: .count)
            try c.encode(next, forKey: .next)
            try c.encode(previous, forKey: .previous)
            try c.encode(results, forKey: .results)
        }
    }
}
