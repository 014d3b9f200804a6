import Hummingbird
import MemoryStore

/// The request context of the Mem0 routes: Hummingbird's core storage plus the project the
/// request's API key resolved to.
public struct MemoryRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The project of the authenticated key; set by the gateway middleware before any route runs.
    public var project: ProjectContext

    /// Creates a context for a new request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        project = .default
    }
}
