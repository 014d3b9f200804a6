/// Placeholder to be replaced by the readers' PipelineError at merge.
public struct PipelineError: Error {
    public struct Code: Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let ledger = Code(rawValue: "ledger")
    }
    public var code: Code
    public var message: String
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
