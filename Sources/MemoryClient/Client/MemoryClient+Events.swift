import Foundation
import MemoryAPI

extension MemoryClient {
    /// `GET /v1/event/{id}/`: the state of a queued job (an asynchronous add or delete).
    public func event(_ eventID: String) async throws -> MemoryJob {
        try await perform(
            Endpoint("event", .GET, path: Endpoint.path("v1", "event", eventID), effect: .read), as: MemoryJob.self
        ).value
    }

    /// Polls a job every `pollInterval` seconds until it is SUCCEEDED or FAILED, and returns it.
    ///
    /// Throws a `timeout` error when it is still running after `timeout` seconds. A FAILED job
    /// is returned, not thrown: its `error` says why.
    public func waitForEvent(_ eventID: String, pollInterval: Double = 0.5, timeout: Double = 300) async throws
        -> MemoryJob
    {
        let clock = configuration.clock
        let deadline = clock.now() + timeout
        while true {
            let job = try await event(eventID)
            if job.status.isFinal { return job }
            guard clock.now() + pollInterval <= deadline else {
                throw MemoryAPIError(
                    .timeout, "event \(eventID) is still \(job.status.rawValue) after \(Int(timeout)) s",
                    mayHaveBeenApplied: true)
            }
            try await clock.sleep(seconds: pollInterval)
        }
    }

    /// Waits for every job an add answer queued, in order; an answer with none gives `[]`.
    public func waitForJobs(of answer: AddResponse, pollInterval: Double = 0.5, timeout: Double = 300) async throws
        -> [MemoryJob]
    {
        var jobs: [MemoryJob] = []
        for id in answer.pendingEventIDs {
            jobs.append(try await waitForEvent(id, pollInterval: pollInterval, timeout: timeout))
        }
        return jobs
    }
}
