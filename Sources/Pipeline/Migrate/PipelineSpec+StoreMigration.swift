import Reading

extension PipelineSpec {
    /// The job `memport migrate --from STORE --to TARGET` runs: an import of the store through
    /// the `mem0` mapping, so its import keys (store, collection, point id) are those of
    /// `memport import STORE`, and re-running after an interruption sends nothing twice.
    ///
    /// ```swift
    /// let spec = PipelineSpec.migrating(store: chroma, to: .http(url))
    /// let summary = try await ImportJob(stateDirectory: state).run(spec)
    /// ```
    public static func migrating(store: StoreSpec, to target: TargetSpec) -> PipelineSpec {
        PipelineSpec(sources: [store.description], preset: .mem0, operation: .add, target: target)
    }
}
