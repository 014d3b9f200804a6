import MemoryAPI
import Testing

@testable import MemoryClient

struct RetryPolicyTests {
    @Test(arguments: [(1, 0.25), (2, 0.5), (3, 1.0), (7, 16.0), (8, 20.0), (100, 20.0)])
    func ceilingDoublesUpToTheCap(retry: Int, ceiling: Double) {
        #expect(RetryPolicy.standard.ceiling(forRetry: retry) == ceiling)
    }

    @Test func clampsNonsense() {
        let p = RetryPolicy(maxAttempts: 0, baseDelay: -1, maxDelay: -1, maxTotalTime: -5)
        #expect(p.maxAttempts == 1)
        #expect(p.baseDelay == 0 && p.maxDelay == 0 && p.maxTotalTime == 0)
    }

    @Test(arguments: [400, 401, 403, 404, 409, 413, 422, 501])
    func permanentStatusesAreNotRetried(status: Int) {
        let e = MemoryAPIError.fromResponse(status: status, body: .init())
        #expect(!RetryPolicy.standard.isRetryable(e, idempotent: true))
        #expect(!RetryPolicy.standard.isRetryable(e, idempotent: false))
    }

    @Test func addIsRetriedOnlyWhenNotApplied() {
        var e500 = MemoryAPIError.fromResponse(status: 500, body: .init())
        #expect(RetryPolicy.standard.isRetryable(e500, idempotent: true))
        #expect(!RetryPolicy.standard.isRetryable(e500, idempotent: false))
        e500.mayHaveBeenApplied = true
        #expect(!RetryPolicy.standard.isRetryable(e500, idempotent: false))
        #expect(
            RetryPolicy.standard.isRetryable(MemoryAPIError.fromResponse(status: 429, body: .init()), idempotent: false)
        )
    }
}
