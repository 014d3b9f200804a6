/// The shared, serialised owner of a ``FaultPlan`` for a running server, counting what it injected.
actor FaultInjector {
    private var plan: FaultPlan
    private(set) var unavailable = 0
    private(set) var dropped = 0

    init(plan: FaultPlan) { self.plan = plan }

    /// The action for the next request.
    func next() -> FaultPlan.Action {
        let action = plan.next()
        switch action {
        case .none: break
        case .unavailable: unavailable += 1
        case .dropConnection: dropped += 1
        }
        return action
    }
}
