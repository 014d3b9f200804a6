import Testing

@testable import MemoryClient

/// The learning pacer against a simulated token-bucket server, on simulated time: the client
/// wants more than the limit, the learner sets the pace, and after the warm-up the held rate is
/// at least 0.9x the limit with at most 2 % of requests answered 429.
struct RateLearnerTests {
    /// A server's token bucket of `perMinute` a minute (bursts of a minute's worth), answering
    /// with or without `X-RateLimit-*` headers and `Retry-After`.
    struct SimulatedServer {
        var perMinute: Double
        var sendsHeaders: Bool
        var sendsRetryAfter = true
        var tokens: Double
        var updatedAt = 0.0

        init(perMinute: Double, sendsHeaders: Bool, sendsRetryAfter: Bool = true) {
            self.perMinute = perMinute
            self.sendsHeaders = sendsHeaders
            self.sendsRetryAfter = sendsRetryAfter
            tokens = perMinute
        }

        mutating func change(perMinute value: Double, now: Double) {
            refill(now)
            perMinute = value
            tokens = min(tokens, value)
        }

        mutating func refill(_ now: Double) {
            tokens = min(perMinute, tokens + (now - updatedAt) * perMinute / 60)
            updatedAt = now
        }

        mutating func answer(now: Double) -> (Int, RateLimitHeaders?) {
            refill(now)
            let allowed = tokens >= 1
            if allowed { tokens -= 1 }
            var headers = RateLimitHeaders()
            if sendsHeaders {
                headers.limit = Int(perMinute)
                headers.remaining = Int(tokens)
                headers.resetIn = ((perMinute - tokens) / (perMinute / 60)).rounded(.up)
            }
            if !allowed && sendsRetryAfter {
                headers.retryAfter = max(1, ((1 - tokens) / (perMinute / 60)).rounded(.up))
            }
            return (allowed ? 200 : 429, headers.isEmpty ? nil : headers)
        }
    }

    struct Window {
        var admitted = 0
        var refused = 0
        var share429: Double { Double(refused) / Double(max(1, admitted + refused)) }
    }

    /// Runs from `from` to `to` seconds: the client wants `demand` requests a second, paced by
    /// the learner; answers come `latency` after the send. Counts answers in `measure`.
    static func run(
        _ learner: inout RateLearner, _ server: inout SimulatedServer, from: Double, to: Double, demand: Double,
        measure: ClosedRange<Double>, latency: Double = 0.02, step: Double = 0.005
    ) -> Window {
        var window = Window()
        var credit = 0.0
        var t = from
        var pending: [(sentAt: Double, due: Double, status: Int, headers: RateLimitHeaders?)] = []
        while t < to {
            // Answers due now.
            while let first = pending.first, first.due <= t {
                pending.removeFirst()
                learner.answered(status: first.status, headers: first.headers, sentAt: first.sentAt, now: first.due)
                if measure.contains(first.due) {
                    if first.status == 429 { window.refused += 1 } else { window.admitted += 1 }
                }
            }
            if t >= learner.pausedUntil {
                credit = min(credit + min(demand, learner.rate ?? demand) * step, 2)
                while credit >= 1 {
                    credit -= 1
                    let (status, headers) = server.answer(now: t)
                    pending.append((t, t + latency, status, headers))
                }
            } else {
                credit = 0
            }
            t += step
        }
        return window
    }

    static func held(_ w: Window, over span: Double, limitPerMinute: Double) -> Double {
        Double(w.admitted) / span / (limitPerMinute / 60)
    }

    @Test(arguments: [600.0, 1000, 3000])
    func headersFromAbove(limit: Double) {
        var learner = RateLearner(.init(initialRate: nil))
        var server = SimulatedServer(perMinute: limit, sendsHeaders: true)
        let w = Self.run(&learner, &server, from: 0, to: 120, demand: 200, measure: 10...120)
        #expect(Self.held(w, over: 110, limitPerMinute: limit) >= 0.9)
        #expect(w.share429 <= 0.02)
        #expect(learner.estimateFromHeaders)
        #expect(abs(learner.estimate! / (limit / 60) - 1) < 0.1)
    }

    @Test func headersFromBelow() {
        var learner = RateLearner(.init(initialRate: 1))
        var server = SimulatedServer(perMinute: 1000, sendsHeaders: true)
        let w = Self.run(&learner, &server, from: 0, to: 150, demand: 200, measure: 60...150)
        #expect(Self.held(w, over: 90, limitPerMinute: 1000) >= 0.9)
        #expect(w.share429 <= 0.02)
    }

    @Test(arguments: [600.0, 1000, 3000])
    func fromAboveBy429s(limit: Double) {
        var learner = RateLearner(.init(initialRate: nil))
        var server = SimulatedServer(perMinute: limit, sendsHeaders: false)
        let w = Self.run(&learner, &server, from: 0, to: 300, demand: 200, measure: 60...300)
        #expect(Self.held(w, over: 240, limitPerMinute: limit) >= 0.9)
        #expect(w.share429 <= 0.02)
        #expect(learner.signals >= 1)
    }

    @Test func fromAboveBy429sWithoutRetryAfter() {
        var learner = RateLearner(.init(initialRate: nil))
        var server = SimulatedServer(perMinute: 1000, sendsHeaders: false, sendsRetryAfter: false)
        let w = Self.run(&learner, &server, from: 0, to: 300, demand: 200, measure: 60...300)
        #expect(Self.held(w, over: 240, limitPerMinute: 1000) >= 0.9)
        #expect(w.share429 <= 0.02)
    }

    @Test func fromBelowBy429s() {
        var learner = RateLearner(.init(initialRate: 1))
        var server = SimulatedServer(perMinute: 1000, sendsHeaders: false)
        let w = Self.run(&learner, &server, from: 0, to: 400, demand: 200, measure: 160...400)
        #expect(Self.held(w, over: 240, limitPerMinute: 1000) >= 0.9)
        #expect(w.share429 <= 0.02)
    }

    @Test(arguments: [true, false])
    func followsALimitThatFallsAndRises(headers: Bool) {
        var learner = RateLearner(.init(initialRate: nil))
        var server = SimulatedServer(perMinute: 3000, sendsHeaders: headers)
        _ = Self.run(&learner, &server, from: 0, to: 120, demand: 200, measure: 0...0)
        server.change(perMinute: 1000, now: 120)
        let low = Self.run(&learner, &server, from: 120, to: 300, demand: 200, measure: 180...300)
        #expect(Self.held(low, over: 120, limitPerMinute: 1000) >= 0.9)
        #expect(Self.held(low, over: 120, limitPerMinute: 1000) <= 1.1)
        #expect(low.share429 <= 0.02)
        server.change(perMinute: 3000, now: 300)
        let high = Self.run(&learner, &server, from: 300, to: 500, demand: 200, measure: 380...500)
        #expect(Self.held(high, over: 120, limitPerMinute: 3000) >= 0.9)
        #expect(high.share429 <= 0.02)
    }

    @Test func anEchoOfOneSignalIsNotAnother() {
        var learner = RateLearner(.init(initialRate: 100))
        let h = RateLimitHeaders(retryAfter: 2)
        learner.answered(status: 200, headers: nil, sentAt: 0, now: 0.5)
        learner.answered(status: 429, headers: h, sentAt: 1, now: 1.1)
        let afterFirst = learner.rate
        // Requests that were already in flight come back 429 too: one signal, one pause.
        for i in 0..<30 { learner.answered(status: 429, headers: h, sentAt: 1.0 + Double(i) * 0.001, now: 1.2) }
        #expect(learner.signals == 1 && learner.rateLimitedAnswers == 31)
        #expect(learner.rate == afterFirst)
        #expect(abs(learner.pausedUntil - 3.1) < 1e-9)
        #expect(afterFirst! < 100)
    }

    @Test func theHostedDefaultNeverStartsAboveItsDocumentedLimit() {
        let learner = RateLearner(.init(initialRate: 950.0 / 60, assumedLimit: 1000.0 / 60))
        #expect(learner.rate! * 60 <= 1000)
        #expect(abs(learner.estimate! * 60 - 1000) < 1e-9)
    }
}
