import MemoryAPI

/// One job to open and run, as every command that delivers describes it: `import`, `run`,
/// `resume`, `rejects --replay`, `restore` and `migrate` all end in
/// ``ImportJob/execute(_:ledger:target:progress:detected:)``.
public struct JobPlan: Sendable {
    /// What to do before the run, once the job is open in the ledger.
    public enum Preparation: Sendable, Hashable {
        /// Nothing.
        case none
        /// Forget the record-level rejects of earlier runs (the input is read again whole).
        case clearRecordRejects
        /// Move these units back to pending (rejects being replayed).
        case reopen(keys: [String])
    }

    /// The job id: the same input, target and options continue the same job.
    public var jobID: String
    /// The spec as the ledger keeps it (sources resolved, no secret).
    public var spec: PipelineSpec
    /// The sources as the ledger keeps them (identity and size).
    public var sources: JSONValue
    /// Where the units come from.
    public var input: ImportInput
    /// What to do once the job is open.
    public var preparation: Preparation
    /// How the engine runs.
    public var options: ImportEngine.Options
    /// `true` to learn, before adds are sent, which of their keys the target already holds
    /// (`ExistingKeyIndex`); it applies to adds only.
    public var asksTarget: Bool

    /// Creates a plan.
    public init(
        jobID: String, spec: PipelineSpec, sources: JSONValue, input: ImportInput, preparation: Preparation = .none,
        options: ImportEngine.Options, asksTarget: Bool = true
    ) {
        self.asksTarget = asksTarget
        self.jobID = jobID
        self.spec = spec
        self.sources = sources
        self.input = input
        self.preparation = preparation
        self.options = options
    }
}
