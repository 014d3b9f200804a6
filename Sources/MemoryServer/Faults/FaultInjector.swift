/// The shared, serialised owner of a ``FaultPlan`` for a running server.
actor FaultInjector {
    private var plan: FaultPlan

    init(plan: FaultPlan) { self.plan = plan }

    /// The action for the next request.
    func next() -> FaultPlan.Action { plan.next() }
}
