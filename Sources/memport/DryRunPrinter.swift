import ArgumentParser
import Foundation
import Pipeline
import Reading

/// Prints a dry run's summary (and writes it as JSON when asked); exit 3 when an input could
/// not be read, 2 for an impossible reader limit.
enum DryRunPrinter {
    static func run(_ spec: PipelineSpec, show: Int, summaryJSON: String?) throws {
        let summary: DryRunSummary
        do {
            summary = try DryRun.run(spec, sampleLimit: show) { skipped in
                FileHandle.standardError.write(Data("memport: \(skipped)\n".utf8))
            }
        } catch {
            throw JobRunner.fail(error)
        }
        print(summary.rendered())
        if let path = summaryJSON {
            do {
                try summary.jsonData().write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                FileHandle.standardError.write(Data("memport: cannot write \(path): \(error)\n".utf8))
                throw ExitCode(ExitStatus.failure)
            }
        }
        if !summary.failedSources.isEmpty {
            FileHandle.standardError.write(
                Data("memport: cannot read \(summary.failedSources.joined(separator: ", "))\n".utf8))
            throw ExitCode(ExitStatus.inputNotFound)
        }
    }
}
