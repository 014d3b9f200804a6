/// The body of a filtered listing: `POST /v2/memories/` or `POST /v3/memories/`.
public struct GetAllRequest: Sendable, Hashable {
    /// The filter (required by the platform on v2 and v3).
    public var filters: MemoryFilter?
    /// Top-level entity ids, as 1.x sends them.
    public var scope: Scope
    /// The 1-based page (query-string values take precedence on the server).
    public var page: Int?
    /// Items per page (default 100, at most 200).
    public var pageSize: Int?
    /// Return only these fields.
    public var fields: [String]?
    /// Include expired memories.
    public var showExpired: Bool?
    /// `YYYY-MM-DD` lower bound on created_at (v3).
    public var startDate: String?
    /// `YYYY-MM-DD` upper bound on created_at (v3).
    public var endDate: String?
    /// Category names (v3).
    public var categories: [String]?
    /// A substring of the text (v3).
    public var keywords: String?
    /// `v1.0` or `v1.1`.
    public var outputFormat: String?
    /// The organisation, as 0.1.x and 1.x send it.
    public var orgID: String?
    /// The project, as 0.1.x and 1.x send it.
    public var projectID: String?
    /// Also return memories Dream merged into others (`include_merged`; not in the OAS, harmless
    /// where ignored).
    public var includeMerged: Bool?
    /// Drop memories Dream marked superseded (`latest_only`, SDK 2.0.16+).
    public var latestOnly: Bool?

    /// Creates a listing body.
    public init(
        filters: MemoryFilter? = nil, scope: Scope = Scope(), page: Int? = nil, pageSize: Int? = nil,
        fields: [String]? = nil, showExpired: Bool? = nil, startDate: String? = nil, endDate: String? = nil,
        categories: [String]? = nil, keywords: String? = nil, outputFormat: String? = nil, orgID: String? = nil,
        projectID: String? = nil, includeMerged: Bool? = nil, latestOnly: Bool? = nil
    ) {
        self.filters = filters
        self.scope = scope
        self.page = page
        self.pageSize = pageSize
        self.fields = fields
        self.showExpired = showExpired
        self.startDate = startDate
        self.endDate = endDate
        self.categories = categories
        self.keywords = keywords
        self.outputFormat = outputFormat
        self.orgID = orgID
        self.projectID = projectID
        self.includeMerged = includeMerged
        self.latestOnly = latestOnly
    }
}

extension GetAllRequest: Codable {
    enum CodingKeys: String, CodingKey {
        case filters, page, fields, categories, keywords
        case pageSize = "page_size"
        case showExpired = "show_expired"
        case startDate = "start_date"
        case endDate = "end_date"
        case outputFormat = "output_format"
        case orgID = "org_id"
        case projectID = "project_id"
        case includeMerged = "include_merged"
        case latestOnly = "latest_only"
    }

    /// Decodes a listing body; page numbers may come as numbers or numeric strings.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        filters = try c.decodeIfPresent(MemoryFilter.self, forKey: .filters)
        scope = try Scope(from: decoder)
        page = try Self.flexibleInt(c, .page)
        pageSize = try Self.flexibleInt(c, .pageSize)
        fields = try c.decodeIfPresent([String].self, forKey: .fields)
        showExpired = try c.decodeIfPresent(Bool.self, forKey: .showExpired)
        startDate = try c.decodeIfPresent(String.self, forKey: .startDate)
        endDate = try c.decodeIfPresent(String.self, forKey: .endDate)
        categories = try c.decodeIfPresent([String].self, forKey: .categories)
        keywords = try c.decodeIfPresent(String.self, forKey: .keywords)
        outputFormat = try c.decodeIfPresent(String.self, forKey: .outputFormat)
        orgID = try c.decodeIfPresent(String.self, forKey: .orgID)
        projectID = try c.decodeIfPresent(String.self, forKey: .projectID)
        includeMerged = try c.decodeIfPresent(Bool.self, forKey: .includeMerged)
        latestOnly = try c.decodeIfPresent(Bool.self, forKey: .latestOnly)
    }

    static func flexibleInt(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Int? {
        guard let raw = try c.decodeIfPresent(JSONValue.self, forKey: key) else { return nil }
        switch raw {
        case .null: return nil
        case .string(let s):
            if let i = Int(s) { return i }
        default:
            if let i = raw.int64Value { return Int(i) }
        }
        throw DecodingError.typeMismatch(
            Int.self,
            .init(
                codingPath: c.codingPath + [key],
                debugDescription: "\(key.stringValue) must be an integer, got \(raw.typeDescription)"))
    }

    /// Encodes the fields that are set.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(filters, forKey: .filters)
        try scope.encode(to: encoder)
        try c.encodeIfPresent(page, forKey: .page)
        try c.encodeIfPresent(pageSize, forKey: .pageSize)
        try c.encodeIfPresent(fields, forKey: .fields)
        try c.encodeIfPresent(showExpired, forKey: .showExpired)
        try c.encodeIfPresent(startDate, forKey: .startDate)
        try c.encodeIfPresent(endDate, forKey: .endDate)
        try c.encodeIfPresent(categories, forKey: .categories)
        try c.encodeIfPresent(keywords, forKey: .keywords)
        try c.encodeIfPresent(outputFormat, forKey: .outputFormat)
        try c.encodeIfPresent(orgID, forKey: .orgID)
        try c.encodeIfPresent(projectID, forKey: .projectID)
        try c.encodeIfPresent(includeMerged, forKey: .includeMerged)
        try c.encodeIfPresent(latestOnly, forKey: .latestOnly)
    }
}
