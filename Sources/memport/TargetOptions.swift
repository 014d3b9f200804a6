import ArgumentParser
import Pipeline

/// Where a job delivers (`--target`, default embedded:./memport.db) and how to reach it.
struct TargetOptions: ParsableArguments {
    @Option(
        help: """
            embedded:PATH, an http(s):// base URL, or mem0 ($MEM0_BASE_URL, else the hosted platform); \
            key in MEM0_API_KEY. Default: embedded:./memport.db.
            """, transform: TargetSpec.argument)
    var target: TargetSpec?

    @OptionGroup var connection: ConnectionOptions

    /// Applies the flags that were given over a spec.
    func apply(to spec: inout PipelineSpec) {
        if let target { spec.target = target }
        connection.apply(to: &spec)
    }
}
