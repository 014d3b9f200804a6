import MemoryAPI

/// The one error of the store: a stable code, a human detail, and where in the request it points.
///
/// The server renders it as a Mem0 JSON error body with ``status``; the embedded target turns
/// it into a `MemoryAPIError` with ``apiError`` so callers classify both targets alike.
public struct MemoryStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, open set of codes.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The stable spelling.
        public let description: String
        private init(_ s: String) { description = s }

        /// The request is malformed or breaks a rule (400).
        public static let validation = Code("validation")
        /// No such memory, event or entity in this project (404).
        public static let notFound = Code("not_found")
        /// A page past the end (404 `Invalid page.`).
        public static let invalidPage = Code("invalid_page")
        /// The memory is immutable and refuses updates (400).
        public static let immutable = Code("immutable")
        /// The database failed (500).
        public static let database = Code("database")
    }

    /// What went wrong.
    public var code: Code
    /// The sentence a client sees as `detail`.
    public var detail: String
    /// The JSON path of the bad value, when there is one (`memories[3].memory_id`).
    public var path: String?

    /// Creates an error.
    public init(_ code: Code, _ detail: String, path: String? = nil) {
        self.code = code
        self.detail = detail
        self.path = path
    }

    /// A validation error at a JSON path.
    public static func invalid(_ detail: String, path: String? = nil) -> MemoryStoreError {
        MemoryStoreError(.validation, detail, path: path)
    }

    /// The HTTP status the platform uses for this code.
    public var status: Int {
        switch code {
        case .notFound, .invalidPage: return 404
        case .database: return 500
        default: return 400
        }
    }

    /// `[validation] memories: Maximum of 1000 ...`.
    public var description: String { "[\(code)] \(detail)" }

    /// The same failure as a wire-layer error, for callers of the embedded target.
    public var apiError: MemoryAPIError {
        MemoryAPIError(.forStatus(status), detail, status: status, detail: detail, path: path)
    }
}
