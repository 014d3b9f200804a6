/// The body of a search: `POST /v1/memories/search/`, `/v2/memories/search/` or `/v3/memories/search/`.
public struct SearchRequest: Sendable, Hashable {
    /// The query text.
    public var query: String
    /// The v2/v3 filter.
    public var filters: MemoryFilter?
    /// Top-level entity ids (v1, and what 1.x sends beside filters).
    public var scope: Scope
    /// How many results at most (default 10).
    public var topK: Int?
    /// The minimum score (v2 default 0.3, v3 default 0.1; 0 disables it).
    public var threshold: Double?
    /// Rerank the results.
    public var rerank: Bool?
    /// Keyword search.
    public var keywordSearch: Bool?
    /// Include expired memories (v3).
    public var showExpired: Bool?
    /// Return only these fields.
    public var fields: [String]?
    /// v1 category filter.
    public var categories: [String]?
    /// v1 exact-match metadata filter.
    public var metadata: [String: JSONValue]?
    /// `v1.0` or `v1.1` (v1).
    public var outputFormat: String?
    /// The organisation, as 0.1.x and 1.x send it.
    public var orgID: String?
    /// The project, as 0.1.x and 1.x send it.
    public var projectID: String?

    /// Creates a search body.
    public init(
        query: String, filters: MemoryFilter? = nil, scope: Scope = Scope(), topK: Int? = nil,
        threshold: Double? = nil, rerank: Bool? = nil, keywordSearch: Bool? = nil, showExpired: Bool? = nil,
        fields: [String]? = nil, categories: [String]? = nil, metadata: [String: JSONValue]? = nil,
        outputFormat: String? = nil, orgID: String? = nil, projectID: String? = nil
    ) {
        self.query = query
        self.filters = filters
        self.scope = scope
        self.topK = topK
        self.threshold = threshold
        self.rerank = rerank
        self.keywordSearch = keywordSearch
        self.showExpired = showExpired
        self.fields = fields
        self.categories = categories
        self.metadata = metadata
        self.outputFormat = outputFormat
        self.orgID = orgID
        self.projectID = projectID
    }
}

extension SearchRequest: Codable {
    enum CodingKeys: String, CodingKey {
        case query, filters, threshold, rerank, fields, categories, metadata
        case userID = "user_id"
        case agentID = "agent_id"
        case appID = "app_id"
        case runID = "run_id"
        case topK = "top_k"
        case keywordSearch = "keyword_search"
        case showExpired = "show_expired"
        case outputFormat = "output_format"
        case orgID = "org_id"
        case projectID = "project_id"
    }

    /// Decodes a search body of any version; a bad filter throws with its path.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        query = try c.decode(String.self, forKey: .query)
        filters = try c.decodeIfPresent(MemoryFilter.self, forKey: .filters)
        scope = try Scope(from: decoder)
        topK = try c.decodeIfPresent(Int.self, forKey: .topK)
        threshold = try c.decodeIfPresent(Double.self, forKey: .threshold)
        rerank = try c.decodeIfPresent(Bool.self, forKey: .rerank)
        keywordSearch = try c.decodeIfPresent(Bool.self, forKey: .keywordSearch)
        showExpired = try c.decodeIfPresent(Bool.self, forKey: .showExpired)
        fields = try c.decodeIfPresent([String].self, forKey: .fields)
        categories = try c.decodeIfPresent([String].self, forKey: .categories)
        metadata = try c.decodeIfPresent([String: JSONValue].self, forKey: .metadata)
        outputFormat = try c.decodeIfPresent(String.self, forKey: .outputFormat)
        orgID = try c.decodeIfPresent(String.self, forKey: .orgID)
        projectID = try c.decodeIfPresent(String.self, forKey: .projectID)
    }

    /// Encodes the fields that are set.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(query, forKey: .query)
        try c.encodeIfPresent(filters, forKey: .filters)
        try scope.encode(to: encoder)
        try c.encodeIfPresent(topK, forKey: .topK)
        try c.encodeIfPresent(threshold, forKey: .threshold)
        try c.encodeIfPresent(rerank, forKey: .rerank)
        try c.encodeIfPresent(keywordSearch, forKey: .keywordSearch)
        try c.encodeIfPresent(showExpired, forKey: .showExpired)
        try c.encodeIfPresent(fields, forKey: .fields)
        try c.encodeIfPresent(categories, forKey: .categories)
        try c.encodeIfPresent(metadata, forKey: .metadata)
        try c.encodeIfPresent(outputFormat, forKey: .outputFormat)
        try c.encodeIfPresent(orgID, forKey: .orgID)
        try c.encodeIfPresent(projectID, forKey: .projectID)
    }
}
