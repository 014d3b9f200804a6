import Foundation
import Hummingbird
import MemoryAPI
import MemoryStore

/// The one error of the server: an HTTP status and the `detail` a client sees, rendered as a
/// Mem0 JSON error body (`{"detail": ...}`, plus `path` when a field is to blame).
public struct ServerError: Error, Sendable, HTTPResponseError, CustomStringConvertible {
    /// The status to answer with.
    public var status: HTTPResponse.Status
    /// The human sentence, which the SDK turns into its exception's message.
    public var detail: String
    /// The JSON path or parameter at fault, when known.
    public var path: String?
    /// Extra response headers (`Retry-After` on a 429).
    public var headers: HTTPFields

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, _ detail: String, path: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.detail = detail
        self.path = path
        self.headers = headers
    }

    /// A 400.
    public static func badRequest(_ detail: String, path: String? = nil) -> ServerError {
        ServerError(.badRequest, detail, path: path)
    }

    /// `401 {"detail": ...}` as DRF words it.
    public static func unauthorized(_ detail: String) -> ServerError { ServerError(.unauthorized, detail) }

    /// The status and detail of a store error.
    public init(_ error: MemoryStoreError) {
        // A storage failure's text names SQL and files: it goes to the log, never to the client.
        if error.code == .database {
            self.init(.internalServerError, "The server failed to process the request.")
            return
        }
        self.init(HTTPResponse.Status(code: error.status), error.detail, path: error.path)
    }

    /// A 400 for a request the wire layer refused (a bad filter names its JSON path).
    public init(_ error: MemoryAPIError) {
        self.init(.badRequest, error.message, path: error.path)
    }

    /// `HTTP 400: detail`.
    public var description: String { "HTTP \(status.code): \(detail)" }

    /// Renders `{"detail": ..., "path": ...}`.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body: [String: JSONValue] = ["detail": .string(detail)]
        if let path { body["path"] = .string(path) }
        var response = JSONResponse.make(JSONValue.object(body), status: status)
        for field in headers { response.headers.append(field) }
        return response
    }
}
