import ArgumentParser
import Foundation
import MemoryAPI
import Pipeline

/// `memport verify SOURCE TARGET`: exit 0 only when both sides hold the same memories.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Compare two sides (targets, export files or backups): counts per scope, missing, extra, changed.",
        discussion: """
            Memories are matched by their origin id (metadata.memport_source_id written by restore and \
            migrate, or their own id) and compared by text, scope, metadata without memport_* keys, and \
            created_at to the second. Exit 0 when identical, 1 when they differ.
            """
    )

    @Argument(help: "The reference side: embedded:PATH, an http(s):// URL, an export file or a backup directory.")
    var source: String

    @Argument(help: "The side to check, in the same forms.")
    var target: String

    @Option(help: "Write the report as JSON to this file.")
    var reportJson: String?

    @Option(help: "How many differences of each kind to print.")
    var show = 20

    @OptionGroup(title: "Targets") var options: ConnectionOptions

    func run() async throws {
        let report: VerifyReport
        do {
            let a = try VerifySide.parse(source)
            let b = try VerifySide.parse(target)
            let (org, project, version, key) = (options.orgID, options.projectID, options.apiVersion, options.apiKeyEnv)
            let verifier = Verifier { spec in
                try TargetFactory.open(spec, orgID: org, projectID: project, apiVersion: version, apiKeyVariable: key)
            }
            report = try await JobRunner.interruptible { try await verifier.compare(a, b) }
        } catch {
            throw JobRunner.fail(error)
        }
        print(report.rendered(show: show))
        if let reportJson {
            do {
                try AtomicFile.write(Data(report.json().jsonString().utf8), to: reportJson)
            } catch {
                throw JobRunner.fail(error)
            }
        }
        if !report.identical { throw ExitCode(ExitStatus.failure) }
    }
}
