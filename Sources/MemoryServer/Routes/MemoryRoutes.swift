import Foundation
import Hummingbird
import MemoryAPI
import MemoryStore

/// The Mem0 REST routes of contract §9 (v1, v2 and v3) over a ``MemoryStore``.
///
/// Every path answers with and without its trailing slash and never redirects; every answer
/// has a JSON body; unknown fields are ignored.
struct MemoryRoutes: Sendable {
    let store: MemoryStore
    let exports: ExportRegistry
    let maxBodyBytes: Int

    /// Registers every route on a router.
    func register(on router: Router<MemoryRequestContext>) {
        router.get("/v1/ping") { request, context in ping(request, context) }

        router.post("/v1/memories") { request, context in try await addV1(request, context) }
        router.get("/v1/memories") { request, context in try await getAllV1(request, context) }
        router.delete("/v1/memories") { request, context in try await deleteAll(request, context) }
        router.post("/v1/memories/search") { request, context in try await search(request, context, version: 1) }
        router.post("/v2/memories") { request, context in try await getAllBody(request, context, version: 2) }
        router.post("/v2/memories/search") { request, context in try await search(request, context, version: 2) }
        router.post("/v3/memories") { request, context in try await getAllBody(request, context, version: 3) }
        router.post("/v3/memories/add") { request, context in try await addV3(request, context) }
        router.post("/v3/memories/search") { request, context in try await search(request, context, version: 3) }

        router.get("/v1/memories/{memory_id}") { request, context in try await get(request, context) }
        router.put("/v1/memories/{memory_id}") { request, context in try await update(request, context) }
        router.delete("/v1/memories/{memory_id}") { request, context in try await delete(request, context) }
        router.get("/v1/memories/{memory_id}/history") { request, context in try await history(request, context) }

        router.get("/v1/entities") { request, context in try await entities(request, context) }
        router.delete("/v2/entities/{type}/{name}") { request, context in try await deleteEntity(request, context) }
        router.delete("/v1/entities/{type}/{id}") { request, context in try await deleteEntityV1(request, context) }

        router.put("/v1/batch") { request, context in try await batchUpdate(request, context) }
        router.delete("/v1/batch") { request, context in try await batchDelete(request, context) }
        router.put("/v1/memories/batch") { request, context in try await batchUpdate(request, context) }
        router.delete("/v1/memories/batch") { request, context in try await batchDelete(request, context) }

        router.get("/v1/event/{event_id}") { request, context in try await event(request, context) }
        router.get("/v1/events") { request, context in try await events(request, context) }
        router.post("/v1/exports") { request, context in try await createExport(request, context) }
        router.get("/v1/exports") { request, context in try await getExportQuery(request, context) }
        router.post("/v1/exports/get") { request, context in try await getExport(request, context) }
        router.post("/v1/summary") { request, context in try await summary(request, context) }
        router.post("/v1/feedback") { request, context in try await feedback(request, context) }
    }

    // MARK: Shared request reading

    /// The request body as a JSON object; an empty body reads as `{}`.
    func body(_ request: Request, _ context: MemoryRequestContext) async throws -> [String: JSONValue] {
        var request = request
        let buffer = try await request.collectBody(upTo: maxBodyBytes)
        let data = Data(buffer.readableBytesView)
        if data.isEmpty || data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return [:]
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch {
            throw ServerError.badRequest("Malformed JSON body: \(Self.jsonFailure(error, data: data))")
        }
        guard case .object(let object) = value else {
            throw ServerError.badRequest("The request body must be a JSON object, got \(value.typeDescription).")
        }
        try GatewayMiddleware.checkProject(
            orgID: object["org_id"]?.stringValue, projectID: object["project_id"]?.stringValue,
            allowed: context.project)
        return object
    }

    /// The parser's complaint about malformed JSON, with the byte offset where it broke
    /// (Foundation's `JSONSerialization` names it; the decoder does not).
    static func jsonFailure(_ error: any Error, data: Data) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            if let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String { return text }
        }
        return MemoryAPIError.describe(error)
    }

    /// Decodes a typed body from the object ``body(_:_:)`` parsed, naming the field at fault.
    func decode<T: Decodable>(_ type: T.Type, from object: [String: JSONValue]) throws -> T {
        do {
            return try JSONValueDecoder().decode(type, from: .object(object))
        } catch let e as MemoryAPIError {
            throw ServerError(e)
        } catch {
            throw ServerError.badRequest("Invalid request body: \(MemoryAPIError.describe(error))")
        }
    }

    /// A path parameter, percent-decoded (SDK 2.x encodes ids and names).
    func parameter(_ name: String, _ context: MemoryRequestContext) throws -> String {
        guard let raw = context.parameters.get(name) else { throw ServerError.badRequest("\(name) is missing") }
        return raw.removingPercentEncoding ?? raw
    }

    /// A memory id from the path, which must be a UUID.
    func memoryID(_ context: MemoryRequestContext) throws -> String {
        let id = try parameter("memory_id", context)
        guard MemoryStore.isUUID(id) else {
            throw ServerError.badRequest("memory_id should be a valid UUID", path: "memory_id")
        }
        return id
    }

    /// An integer from a query value or a body field, with a precise complaint.
    static func integer(_ value: JSONValue?, _ name: String) throws -> Int? {
        guard let value, !value.isNull else { return nil }
        if let i = value.int64Value, let n = Int(exactly: i) { return n }
        if let s = value.stringValue, let n = Int(s) { return n }
        throw ServerError.badRequest(
            "\(name) must be an integer, got \(MemoryAPIError.truncate(value.jsonString(), limit: 40))", path: name)
    }

    /// A boolean from a body field or query value.
    static func boolean(_ value: JSONValue?, _ name: String) throws -> Bool? {
        guard let value, !value.isNull else { return nil }
        if let b = value.boolValue { return b }
        if let s = value.stringValue?.lowercased() {
            if s == "true" || s == "1" { return true }
            if s == "false" || s == "0" { return false }
        }
        throw ServerError.badRequest("\(name) must be a boolean, got \(value.typeDescription)", path: name)
    }

    /// The Dream lifecycle view of a listing or search: `include_merged` and `latest_only`, from
    /// the body or the query (the `mem0` CLI sends `latest_only` in the body).
    static func lifecycle(_ object: [String: JSONValue], _ query: QueryItems) throws -> LifecycleView {
        func flag(_ name: String) throws -> Bool {
            try boolean(object[name], name) ?? boolean(query[name].map(JSONValue.string), name) ?? false
        }
        return LifecycleView(includeMerged: try flag("include_merged"), latestOnly: try flag("latest_only"))
    }

    /// Parses a filter object, naming the bad node.
    static func filter(_ json: JSONValue, path: String = "filters") throws -> MemoryFilter {
        do {
            return try MemoryFilter.parse(json, path: path)
        } catch let e as MemoryAPIError {
            throw ServerError(e)
        }
    }

    /// A JSON value from a query parameter: JSON or a Python literal (`{'a': 'b'}`).
    static func literal(_ text: String, name: String) throws -> JSONValue {
        if let v = try? JSONValue.parse(text) { return v }
        do {
            return try PythonLiteral.parse(text)
        } catch {
            throw ServerError.badRequest(
                "\(name) must be a JSON object or a Python dict: \(MemoryAPIError.describe(error))", path: name)
        }
    }
}
