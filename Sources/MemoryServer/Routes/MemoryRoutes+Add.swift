import Foundation
import Hummingbird
import MemoryAPI
import MemoryStore

extension MemoryRoutes {
    static let queuedMessage = "Memory processing has been queued for background execution"

    /// `POST /v1/memories/`: v1.0 answers a bare list, v1.1 `{"results": [...]}`;
    /// `async_mode: true` answers PENDING items carrying the event id.
    func addV1(_ request: Request, _ context: MemoryRequestContext) async throws -> Response {
        let object = try await body(request, context)
        let add = try AddRequest(tree: object) ?? decode(AddRequest.self, from: object)
        let added = try await store.add(add, in: context.project)
        let items: [AddEvent]
        if add.asyncMode == true {
            items = [AddEvent(status: "PENDING", eventID: added.eventID, message: Self.queuedMessage)]
        } else {
            items = added.results
        }
        let format = object["output_format"]?.stringValue ?? "v1.0"
        let shape: AddResponse.Shape = format == "v1.1" ? .envelope : .list
        return JSONResponse.make(AddResponse(shape: shape, results: items))
    }

    /// `POST /v3/memories/add/`: `infer: false` answers synchronously with the results;
    /// otherwise `{"event_id", "status": "PENDING"}` (the event already holds the results).
    func addV3(_ request: Request, _ context: MemoryRequestContext) async throws -> Response {
        let object = try await body(request, context)
        let add = try AddRequest(tree: object) ?? decode(AddRequest.self, from: object)
        let added = try await store.add(add, in: context.project)
        if add.infer == false {
            return JSONResponse.make(added)
        }
        return JSONResponse.make(AddResponse(shape: .event, eventID: added.eventID, status: "PENDING"))
    }
}
