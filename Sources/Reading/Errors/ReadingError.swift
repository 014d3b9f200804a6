/// The one error of the Reading module: a stable code, a human message, and where in the input
/// it happened (file, line or element, byte offset, JSON path).
///
/// The same codes name the reasons of rejects, so summaries and ledgers can count them. The
/// Pipeline module extends the code set (ledger, target, output) and throws this same type as
/// `ReadingError`, so a reject or a failure from either half lands in one set of codes.
///
/// ```swift
/// catch let error as ReadingError where error.code == .truncatedGzip { ... }
/// ```
public struct ReadingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, open set of error and reject codes; new codes never break callers.
    public struct Code: Sendable, Hashable, Comparable, CustomStringConvertible {
        /// The stable spelling, e.g. `invalid_json`.
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }
        /// A code from its stable spelling, as a ledger or rejects file stores it.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The input does not exist.
        public static let inputNotFound = Code("input_not_found")
        /// The input exists but cannot be read.
        public static let unreadable = Code("unreadable")
        /// The input changed (shrank, grew or was rewritten) while it was read.
        public static let sourceChanged = Code("source_changed")
        /// A gzip stream ends before its trailer.
        public static let truncatedGzip = Code("truncated_gzip")
        /// A gzip stream is damaged.
        public static let corruptGzip = Code("corrupt_gzip")
        /// A record is not valid JSON.
        public static let invalidJSON = Code("invalid_json")
        /// A record is not valid UTF-8.
        public static let invalidUTF8 = Code("invalid_utf8")
        /// A record is larger than the configured limit.
        public static let recordTooLarge = Code("record_too_large")
        /// One message alone is larger than an add may be.
        public static let messageTooLarge = Code("message_too_large")
        /// A CSV quoted field never closes.
        public static let unterminatedQuote = Code("unterminated_quote")
        /// A CSV row has a different number of fields than the header.
        public static let wrongFieldCount = Code("wrong_field_count")
        /// A JSON array or object never closes.
        public static let unterminatedJSON = Code("unterminated_json")
        /// Something follows the top-level JSON value.
        public static let trailingData = Code("trailing_data")
        /// The input holds no record at all.
        public static let emptyInput = Code("empty_input")
        /// The top-level JSON value is a string, number, boolean or null.
        public static let topLevelScalar = Code("top_level_scalar")
        /// No format or preset matches the input.
        public static let unknownFormat = Code("unknown_format")
        /// A unit would carry no user, agent, app or run id.
        public static let missingScope = Code("missing_scope")
        /// A value has the wrong JSON type, or a required field is missing.
        public static let wrongType = Code("wrong_type")
        /// A ChatGPT message has a content type memport does not know.
        public static let unknownContentType = Code("unknown_content_type")
        /// A message part is an image, file or other non-text content.
        public static let nonTextContent = Code("non_text_content")
        /// A role or speaker the adapter cannot map.
        public static let unknownRole = Code("unknown_role")
        /// A date or timestamp that cannot be parsed.
        public static let invalidTimestamp = Code("invalid_timestamp")
        /// A record that yields no message to remember.
        public static let emptyRecord = Code("empty_record")
        /// Bad flags or options.
        public static let usage = Code("usage")
        /// A file in which the tool that wrote it reports a failure (a `mem0` CLI error envelope).
        public static let sourceError = Code("source_error")
        /// A zip archive that stops before its end.
        public static let truncatedZip = Code("truncated_zip")
        /// A zip archive that is damaged or uses a feature memport does not read.
        public static let corruptZip = Code("corrupt_zip")

        /// The spelling.
        public var description: String { rawValue }

        /// Orders codes by spelling, for stable summaries.
        public static func < (lhs: Code, rhs: Code) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// What went wrong, as a stable code.
    public var code: Code
    /// A human sentence saying what went wrong.
    public var message: String
    /// Where in the input, when known.
    public var locator: RecordLocator?
    /// The JSON path of a bad value inside the record, e.g. `messages[2].content`.
    public var path: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, at locator: RecordLocator? = nil, path: String? = nil) {
        self.code = code
        self.message = message
        self.locator = locator
        self.path = path
    }

    /// `file.jsonl line 3, byte 120: invalid_json: ...`.
    public var description: String {
        var text = ""
        if let locator { text += locator.description + ": " }
        text += "\(code): \(message)"
        if let path { text += " (at \(path))" }
        return text
    }
}
