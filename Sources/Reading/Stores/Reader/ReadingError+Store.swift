extension ReadingError.Code {
    /// The SQLite file is a store of a layout memport does not read (a Chroma version's, a
    /// foreign file), or a table is not mem0's.
    public static let unknownStoreLayout = ReadingError.Code(rawValue: "unknown_store_layout")
    /// The collection (Chroma) or table (PostgreSQL) does not exist.
    public static let missingCollection = ReadingError.Code(rawValue: "missing_collection")
    /// The PostgreSQL server cannot be reached, or refused the connection or the login.
    public static let storeConnection = ReadingError.Code(rawValue: "store_connection")
    /// A store query failed after the connection was made.
    public static let storeQuery = ReadingError.Code(rawValue: "store_query")
    /// A point's payload has no `data` text.
    public static let missingData = ReadingError.Code(rawValue: "missing_data")
    /// A point's payload is not a JSON object, or a value has the wrong type.
    public static let badPayload = ReadingError.Code(rawValue: "bad_payload")

    /// Whether the code says an input could not be found or read (a file, or a self-hosted
    /// store that cannot be opened, reached or understood): exit 3.
    public var isUnreadableInput: Bool {
        switch self {
        case .inputNotFound, .unreadable, .unknownStoreLayout, .missingCollection, .storeConnection, .storeQuery:
            return true
        default:
            return false
        }
    }
}

extension ReadingError {
    /// An error of a self-hosted store, located at the store (as it may be shown: never with a
    /// password), its collection or table and the point, with the driver's or SQLite's cause.
    ///
    /// ```swift
    /// throw ReadingError.store(.missingCollection, "no table memories", store: spec.storeDescription)
    /// ```
    public static func store(
        _ code: Code, _ message: String, store: String? = nil, collection: String? = nil, pointID: String? = nil,
        cause: String? = nil
    ) -> ReadingError {
        var text = message
        if let cause { text += " (\(cause))" }
        var locator: RecordLocator?
        if let store {
            let place = collection.map { "\(store) collection \($0)" } ?? store
            locator = RecordLocator(file: place)
            if let pointID { locator = locator?.with(conversation: pointID) }
        }
        return ReadingError(code, text, at: locator)
    }
}
