/// The one error of the OSSStores module: a stable code, a sentence, and where it happened (the
/// store as it may be shown, the collection or table, the point id), with the underlying cause.
///
/// A description never carries a password: stores are named by their redacted spec.
///
/// ```swift
/// catch let error as StoreError where error.code == .unknownLayout { ... }
/// ```
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, open set of codes; new codes never break callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The stable spelling, e.g. `unknown_layout`.
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// The spec is malformed (a bad URL, an empty path, a telemetry collection named).
        public static let usage = Code("usage")
        /// The store's file or folder does not exist.
        public static let notFound = Code("input_not_found")
        /// The file exists but is not a readable SQLite database (or not the store it should be).
        public static let unreadable = Code("unreadable")
        /// The SQLite file is a Chroma database of a layout memport does not read.
        public static let unknownLayout = Code("unknown_store_layout")
        /// The collection (Chroma) or table (PostgreSQL) does not exist.
        public static let missingCollection = Code("missing_collection")
        /// The PostgreSQL server cannot be reached or refused the connection or the login.
        public static let connection = Code("store_connection")
        /// A query failed after the connection was made.
        public static let query = Code("store_query")
        /// A point's payload has no `data` text.
        public static let missingData = Code("missing_data")
        /// A point's payload is not a JSON object, or a value has the wrong type.
        public static let badPayload = Code("bad_payload")

        /// The spelling.
        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A human sentence.
    public var message: String
    /// The store as it may be shown (never with a password).
    public var store: String?
    /// The collection or table.
    public var collection: String?
    /// The point id, for a payload error.
    public var pointID: String?
    /// The underlying error, described (driver and SQLite messages carry no password).
    public var cause: String?

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, store: String? = nil, collection: String? = nil, pointID: String? = nil,
        cause: String? = nil
    ) {
        self.code = code
        self.message = message
        self.store = store
        self.collection = collection
        self.pointID = pointID
        self.cause = cause
    }

    /// `chroma:/data/db collection mem0, point 1f…: missing_data: the payload has no data text`.
    public var description: String {
        var text = ""
        if let store {
            text += store
            if let collection { text += " collection \(collection)" }
            if let pointID { text += ", point \(pointID)" }
            text += ": "
        }
        text += "\(code): \(message)"
        if let cause { text += " (\(cause))" }
        return text
    }
}
