import Foundation
import Hummingbird
import Logging
import MemoryAPI
import MemoryStore

/// Everything a request passes before a route: the injected latency, the rate limit per API
/// key, the injected faults, token authentication, the project check, and the rendering of
/// every error as a JSON body.
///
/// With a rate limit every answer carries `X-RateLimit-Limit`, `-Remaining` and `-Reset`; a
/// refused request gets 429 with `Retry-After` (whole seconds) and DRF's throttle body
/// (`{"detail": "Request was throttled. Expected available in N seconds."}`), which the `mem0ai`
/// SDK turns into a `RateLimitError` whose `debug_info` carries those headers.
struct GatewayMiddleware: RouterMiddleware {
    typealias Context = MemoryRequestContext

    /// Secret → project.
    let keys: [ExactText: ProjectContext]
    let faults: FaultInjector?
    let limiter: RateLimiter?
    let latency: Duration
    let maxBodyBytes: Int
    let statistics: @Sendable () async -> ServerStatistics

    /// The path of the server's own counters (`ServerStatistics`), for operators and tests.
    static let statisticsPath = "/_memport/stats"

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if request.uri.path == Self.statisticsPath, request.method == .get {
            // The operator's counters: authenticated, but neither delayed, limited nor faulted.
            do {
                _ = try authenticate(request)
                return JSONResponse.make(await statistics())
            } catch {
                return Self.render(error, request: request, context: context, maxBodyBytes: maxBodyBytes)
            }
        }
        if latency > .zero { try? await Task.sleep(for: latency) }
        var decision: RateLimitBucket.Decision?
        if let limiter { decision = await limiter.take(key: rateLimitKey(request)) }
        var response = await answer(request, context: context, decision: decision, next: next)
        if let decision {
            for (name, value) in decision.headers {
                if let field = HTTPFields.Element.Name(name) { response.headers[field] = value }
            }
        }
        return response
    }

    /// The bucket of a request: its API key when the server knows it, else the shared one.
    func rateLimitKey(_ request: Request) -> String {
        guard let header = request.headers[.authorization] else { return RateLimiter.anonymous }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "token", keys[ExactText(String(parts[1]))] != nil else {
            return RateLimiter.anonymous
        }
        return String(parts[1])
    }

    private func answer(
        _ request: Request, context: Context, decision: RateLimitBucket.Decision?,
        next: (Request, Context) async throws -> Response
    ) async -> Response {
        do {
            if let decision, !decision.allowed {
                let seconds = decision.retryAfter ?? 1
                throw ServerError(
                    .tooManyRequests, "Request was throttled. Expected available in \(seconds) seconds.")
            }
            if let faults {
                switch await faults.next() {
                case .none: break
                case .unavailable:
                    throw ServerError(.serviceUnavailable, "The service is temporarily unavailable (injected fault).")
                case .dropConnection:
                    return Response(status: .ok, body: ResponseBody { _ in throw DroppedConnection() })
                }
            }
            var context = context
            context.project = try authenticate(request)
            let query = QueryItems(request.uri.query ?? "")
            try Self.checkProject(orgID: query["org_id"], projectID: query["project_id"], allowed: context.project)
            return try await next(request, context)
        } catch {
            return Self.render(error, request: request, context: context, maxBodyBytes: maxBodyBytes)
        }
    }

    /// The project of the request's `Authorization: Token KEY`.
    func authenticate(_ request: Request) throws -> ProjectContext {
        guard let header = request.headers[.authorization] else {
            throw ServerError.unauthorized("Authentication credentials were not provided.")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "token", let project = keys[ExactText(String(parts[1]))] else {
            throw ServerError.unauthorized(
                "Invalid API key. You can find your API key on https://app.mem0.ai/dashboard/api-keys.")
        }
        return project
    }

    /// Refuses `org_id`/`project_id` that name a project the key may not see.
    static func checkProject(orgID: String?, projectID: String?, allowed: ProjectContext) throws {
        if let orgID, !orgID.isEmpty, !orgID.isExactly(allowed.orgID) {
            throw ServerError(.forbidden, "This API key has no access to organization \(orgID).", path: "org_id")
        }
        if let projectID, !projectID.isEmpty, !projectID.isExactly(allowed.projectID) {
            throw ServerError(.forbidden, "This API key has no access to project \(projectID).", path: "project_id")
        }
    }

    /// Any error as a JSON response; nothing escapes as a bare 500.
    static func render(_ error: any Error, request: Request, context: Context, maxBodyBytes: Int) -> Response {
        let server: ServerError
        switch error {
        case let e as ServerError: server = e
        case let e as MemoryStoreError:
            if e.code == .database {
                context.logger.error("storage failure on \(request.method) \(request.uri.path): \(e.detail)")
            }
            server = ServerError(e)
        case let e as MemoryAPIError: server = ServerError(e)
        case let e as DecodingError: server = .badRequest("Invalid request body: \(MemoryAPIError.describe(e))")
        case let e as any HTTPResponseError:
            switch e.status {
            case .contentTooLarge:
                server = ServerError(
                    .contentTooLarge, "The request body is larger than the limit of \(maxBodyBytes) bytes.")
            case .notFound:
                server = ServerError(.notFound, "Not found: \(request.method) \(request.uri.path)")
            case .methodNotAllowed:
                server = ServerError(
                    .methodNotAllowed, "Method \(request.method) is not allowed on \(request.uri.path)")
            default:
                server = ServerError(e.status, e.status.reasonPhrase)
            }
        default:
            context.logger.error("unexpected error on \(request.method) \(request.uri.path): \(error)")
            server = ServerError(.internalServerError, "The server failed to process the request.")
        }
        var body: [String: JSONValue] = ["detail": .string(server.detail)]
        if let path = server.path { body["path"] = .string(path) }
        var response = JSONResponse.make(JSONValue.object(body), status: server.status)
        for field in server.headers { response.headers.append(field) }
        return response
    }
}

/// Thrown inside a response body to close the connection without an answer.
struct DroppedConnection: Error {}
