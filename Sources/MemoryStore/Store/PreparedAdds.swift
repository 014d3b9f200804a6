import Foundation
import MemoryAPI

/// Add calls made ready by ``MemoryStore/prepareAdds(_:)`` ahead of the
/// transaction that applies them: validated, attributed, and every row value that needs no
/// database made (ids, content hashes, JSON text).
///
/// A bulk import prepares the next chunk while the store writes the current one. The calls are
/// accepted at the time they are prepared: that is the time their memories, history and events carry.
public struct PreparedAdds: Sendable {
    let plans: [Result<MemoryStore.AddPlan, MemoryStoreError>]
    /// When the calls were accepted.
    let now: Date

    init(_ requests: [AddRequest], now: Date) {
        self.now = now
        plans = requests.map { request in
            do {
                return .success(try MemoryStore.AddPlan(request, now: now))
            } catch let error as MemoryStoreError {
                return .failure(error)
            } catch {
                return .failure(MemoryStoreError(.validation, "\(error)"))
            }
        }
    }

    init(plans: [Result<MemoryStore.AddPlan, MemoryStoreError>], now: Date) {
        self.plans = plans
        self.now = now
    }

    /// How many calls.
    public var count: Int { plans.count }

    /// The calls at `positions`, in that order.
    public func selecting(_ positions: [Int]) -> PreparedAdds {
        PreparedAdds(plans: positions.map { plans[$0] }, now: now)
    }
}
