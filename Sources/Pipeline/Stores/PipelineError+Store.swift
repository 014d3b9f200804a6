import OSSStores

extension PipelineError.Code {
    /// A point's payload has no `data` text.
    public static let missingData = PipelineError.Code(rawValue: "missing_data")
    /// A point's payload is not an object, or a value has the wrong type.
    public static let badPayload = PipelineError.Code(rawValue: "bad_payload")
}

extension PipelineError {
    /// A store error as the pipeline reports it: a store that cannot be opened or read is
    /// `.unreadable` (`.inputNotFound` when its file is missing, `.usage` for a bad spec), with the
    /// store's own code and place in the message; a point's error keeps its code as the reject reason.
    public init(_ error: StoreError) {
        let code: Code
        switch error.code {
        case .usage: code = .usage
        case .notFound: code = .inputNotFound
        case .missingData: code = .missingData
        case .badPayload: code = .badPayload
        default: code = .unreadable
        }
        var locator: RecordLocator?
        if let store = error.store {
            locator = RecordLocator(file: store)
            if let pointID = error.pointID { locator = locator?.with(conversation: pointID) }
        }
        var message = error.message
        if code == .unreadable { message = "\(error.code): " + message }
        if let cause = error.cause { message += " (\(cause))" }
        if error.pointID == nil, let collection = error.collection { message = "collection \(collection): " + message }
        self.init(code, message, at: locator)
    }
}
