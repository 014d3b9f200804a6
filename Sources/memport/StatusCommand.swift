import ArgumentParser
import Foundation
import Pipeline
import Reading

/// `memport status [JOB]`: where a job stands, from its ledger.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show where a job stands (the newest job when none is named).")

    @Argument(help: "The job id or a unique prefix.")
    var jobID: String?

    @OptionGroup(title: "State") var state: StateOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        do {
            let ledger = try Ledger(directory: state.stateDirectory)
            let found: LedgerJob?
            if let jobID {
                found = try await ledger.job(jobID)
            } else {
                found = try await ledger.jobs().first
            }
            guard let job = found else {
                throw PipelineError(
                    .jobNotFound, jobID.map { "no job '\($0)' in \(state.stateDir)" } ?? "no jobs in \(state.stateDir)")
            }
            let counts = try await ledger.counts(jobID: job.id)
            let rejects = try await ledger.rejectCounts(jobID: job.id)
            let causes = try await ledger.unfinishedErrors(jobID: job.id)
            if json {
                let out: [String: Any] = [
                    "job_id": job.id, "state": job.state.rawValue, "target": job.target, "runs": job.runs,
                    "records": job.records, "retries": job.retries, "elapsed_s": job.elapsed,
                    "units": Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
                    "rejects_by_reason": rejects, "created_at": job.createdAt, "updated_at": job.updatedAt,
                    "rejects": rejects.values.reduce(0, +),
                    "unfinished_errors": causes.map { ["message": $0.message, "units": $0.units] as [String: Any] },
                ]
                let data = try JSONSerialization.data(withJSONObject: out, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print("job \(job.id): \(job.state.rawValue) (\(job.runs) run\(job.runs == 1 ? "" : "s"))")
            print("  target \(job.target)")
            print("  created \(job.createdAt)  updated \(job.updatedAt)")
            print(
                "  units: "
                    + UnitState.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: "  "))
            print(String(format: "  records %d  retries %d  elapsed %.2fs", job.records, job.retries, job.elapsed))
            if !rejects.isEmpty {
                print(
                    "  rejects: "
                        + rejects.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
            for cause in causes {
                print("  left for later: \(cause.units) unit(s): \(cause.message)")
            }
        } catch {
            throw JobRunner.fail(error)
        }
    }
}

/// `memport jobs`: every job in the state directory.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "jobs", abstract: "List the jobs in the ledger.")

    @OptionGroup(title: "State") var state: StateOptions

    func run() async throws {
        do {
            let ledger = try Ledger(directory: state.stateDirectory)
            let jobs = try await ledger.jobs()
            if jobs.isEmpty { print("no jobs in \(state.stateDir)") }
            for job in jobs {
                let counts = try await ledger.counts(jobID: job.id)
                let done = (counts[.confirmed] ?? 0) + (counts[.skippedExisting] ?? 0)
                // Rejects as `status` counts them: units the target refused and records that
                // could not be read.
                let rejected = try await ledger.rejectCounts(jobID: job.id).values.reduce(0, +)
                print(
                    "\(job.id)  \(job.state.rawValue)  \(done) delivered  \(rejected) rejected  \(job.target)  \(job.updatedAt)"
                )
            }
        } catch {
            throw JobRunner.fail(error)
        }
    }
}

/// `memport rejects JOB [--replay]`: lists a job's rejects, or feeds them through again.
struct RejectsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rejects",
        abstract: "List a job's rejects, or replay them (fix records in the rejects file first if needed).")

    @Argument(help: "The job id or a unique prefix.")
    var jobID: String

    @Flag(help: "Send the rejected units again, as the rejects file now holds them.")
    var replay = false

    @OptionGroup(title: "Target") var target: TargetOptions

    @OptionGroup(title: "Delivery") var delivery: DeliveryOptions

    @OptionGroup(title: "State") var state: StateOptions

    func run() async throws {
        guard replay else {
            do {
                let ledger = try Ledger(directory: state.stateDirectory)
                guard let found = try await ledger.job(jobID) else {
                    throw PipelineError(.jobNotFound, "no job '\(jobID)' in \(state.stateDir)")
                }
                let rejects = try await ledger.rejects(jobID: found.id, includeReplayed: false)
                for r in rejects {
                    print("\(r.reason)\(r.status.map { " (HTTP \($0))" } ?? ""): \(r.message)  at \(r.locator)")
                }
                print(
                    "\(rejects.count) reject(s); file: \(RejectsFile.path(stateDirectory: state.stateDirectory, jobID: found.id))"
                )
            } catch {
                throw JobRunner.fail(error)
            }
            return
        }
        let runner = ImportJob(stateDirectory: state.stateDirectory, apiKeyVariable: target.connection.apiKeyEnv)
        let (id, target, delivery) = (jobID, self.target, self.delivery)
        try await JobRunner.execute(state: state, delivery: delivery, failOnRejects: delivery.failOnRejects) {
            display in
            let (summary, notReplayable) = try await runner.replayRejects(id, progress: display.update) { spec in
                target.apply(to: &spec)
                delivery.apply(to: &spec)
            }
            if notReplayable > 0 {
                display.note(
                    "memport: \(notReplayable) reject(s) could not be replayed (a record cut short or missing in the "
                        + "rejects file): put the whole fixed record in the line's 'record', or fix the input and run the job again"
                )
            }
            return summary
        }
    }
}
