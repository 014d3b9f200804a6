import ArgumentParser
import Pipeline

/// Where a job delivers (`--target`, default embedded:./memport.db) and how to reach it.
struct TargetOptions: ParsableArguments {
    @Option(help: "embedded:PATH or an http(s):// base URL (key in MEM0_API_KEY). Default: embedded:./memport.db.")
    var target: TargetSpec?

    @OptionGroup var connection: ConnectionOptions

    /// Applies the flags that were given over a spec.
    func apply(to spec: inout PipelineSpec) {
        if let target { spec.target = target }
        connection.apply(to: &spec)
    }
}
