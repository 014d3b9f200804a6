import MemoryAPI

/// One point of a store as read: its id and its mem0 payload (the flat JSON object mem0 writes),
/// or why the payload could not be read. Vectors are never read.
public struct StorePoint: Sendable, Hashable {
    /// The point id (a UUID string for mem0's Python and server stores).
    public var id: String
    /// The payload object, or the error that made it unreadable (a located reject for callers).
    public var payload: Result<[String: JSONValue], ReadingError>

    /// Creates a point.
    public init(id: String, payload: Result<[String: JSONValue], ReadingError>) {
        self.id = id
        self.payload = payload
    }
}
