/// Finds and follows a target's rate limit, as a value: feed it every answer (its status, its
/// rate-limit headers, when its request was sent and when the answer came), read ``rate`` and
/// ``pausedUntil``. It never reads a clock: every event carries the time.
///
/// Two sources, the better one first:
/// - **Headers.** Between two answers at least ``Configuration/sampleSpacing`` apart that
///   both carry `X-RateLimit-Limit` and `-Remaining`, the target's refill rate is what it
///   admitted in between plus the change of `Remaining`, over the time between them (a token
///   bucket's balance moves by its refill less what it admitted). The rate is then held at
///   ``Configuration/headroom`` of that estimate, lower while `Remaining` is low, so the bucket
///   never empties and no 429 comes. A bucket that stays full says only that the limit is
///   higher than what is sent: the rate probes upward.
/// - **429s.** Without headers, a 429 is the signal. The estimate is what the target admitted
///   since the previous signal over the time since then; the rate drops to ``Configuration/headroom``
///   of it (never up), all sending pauses for `Retry-After`, and answers to requests sent before
///   the signal was acted on (or within ``Configuration/signalSpacing`` after it, while the cut
///   takes effect) are part of it, not new ones: one pause and one cut per signal.
///
/// Probing: after ``Configuration/probeInterval`` without a 429 while sending at the rate, the
/// rate goes up 1 %. Near a known estimate it stays at 1 % a step, so the limit is met gently
/// (a 429 or a header sample then sets it again); with no estimate, with headers that show a
/// full bucket, or once past the estimate by 5 % with no 429 (the limit rose), the step doubles
/// each time (2 %, 4 % ... at most 25 %), so a higher limit is found in a few steps.
///
/// ```swift
/// var learner = RateLearner(.init(initialRate: nil))          // unpaced until told otherwise
/// learner.answered(status: 429, headers: h, sentAt: 0.9, now: 1.0)
/// learner.rate          // requests a second to pace at, nil for unpaced
/// learner.pausedUntil   // send nothing before this time
/// ```
public struct RateLearner: Sendable, Hashable {
    /// The knobs.
    public struct Configuration: Sendable, Hashable {
        /// Requests a second to start at; nil starts unpaced.
        public var initialRate: Double?
        /// Never pace above this many requests a second; nil for no ceiling.
        public var ceiling: Double?
        /// Never pace below this many requests a second.
        public var floor: Double
        /// The share of the estimated limit to hold.
        public var headroom: Double
        /// Seconds without a 429 (sending at the rate) before each upward probe.
        public var probeInterval: Double
        /// The least time between two header samples that make an estimate.
        public var sampleSpacing: Double
        /// 429s for requests sent less than this long after a signal belong to that signal.
        public var signalSpacing: Double
        /// A limit the target is known to document (requests a second): the estimate until one
        /// is measured, so probing above it is gentle (the hosted platform's 1000 a minute).
        public var assumedLimit: Double?

        /// Creates a configuration.
        public init(
            initialRate: Double?, ceiling: Double? = nil, floor: Double = 0.05, headroom: Double = 0.95,
            probeInterval: Double = 2, sampleSpacing: Double = 2, signalSpacing: Double = 1,
            assumedLimit: Double? = nil
        ) {
            self.signalSpacing = max(0, signalSpacing)
            self.assumedLimit = assumedLimit
            self.initialRate = initialRate.map { max($0, floor) }
            self.ceiling = ceiling
            self.floor = max(0.001, floor)
            self.headroom = min(1, max(0.5, headroom))
            self.probeInterval = max(0.1, probeInterval)
            self.sampleSpacing = max(0.1, sampleSpacing)
        }
    }

    private struct Sample: Sendable, Hashable {
        var at: Double
        var remaining: Int
        var limit: Int
        var admitted: Int
    }

    /// The configuration.
    public let configuration: Configuration
    /// Requests a second to pace at now; nil while unpaced.
    public private(set) var rate: Double?
    /// The learned limit in requests a second, once there is one.
    public private(set) var estimate: Double?
    /// Whether the estimate came from headers (else from 429s).
    public private(set) var estimateFromHeaders = false
    /// Send nothing before this time (a `Retry-After`).
    public private(set) var pausedUntil: Double = 0
    /// Distinct rate signals: 429 episodes, each one cut and one pause.
    public private(set) var signals = 0
    /// 429 answers seen, signals and their echoes.
    public private(set) var rateLimitedAnswers = 0

    private var admitted = 0
    private var lastSignalAt: Double?
    private var admittedAtSignal = 0
    private var startedAt: Double?
    private var lastProbeAt: Double?
    private var admittedAtProbe = 0
    private var probeStep = 0.01
    private var sample: Sample?
    private var headerCapped = false

    /// Creates a learner.
    public init(_ configuration: Configuration) {
        self.configuration = configuration
        rate = configuration.initialRate.map { min($0, configuration.ceiling ?? .infinity) }
        estimate = configuration.assumedLimit
    }

    /// Feeds one answer: `status` (0 for none, e.g. a dropped connection), the rate-limit
    /// headers it carried, when its request was sent and now.
    public mutating func answered(status: Int, headers: RateLimitHeaders?, sentAt: Double, now: Double) {
        if startedAt == nil {
            startedAt = sentAt
            lastProbeAt = now
        }
        if status == 429 {
            rateLimitedAnswers += 1
            rateLimited(headers: headers, sentAt: sentAt, now: now)
        } else if status != 0 && status != 503 {
            admitted += 1
        }
        if let headers, status != 429 { learn(from: headers, now: now) }
        probe(now: now)
    }

    // MARK: - 429s

    private mutating func rateLimited(headers: RateLimitHeaders?, sentAt: Double, now: Double) {
        // Sent before the last signal was acted on: an echo of that signal.
        if let lastSignalAt, sentAt < lastSignalAt + configuration.signalSpacing { return }
        signals += 1
        let since = lastSignalAt ?? startedAt ?? now
        let span = now - since
        let got = admitted - admittedAtSignal
        var measured: Double?
        if span >= 1, got >= 5 { measured = Double(got) / span }
        if let measured, !estimateFromHeaders || estimate == nil {
            estimate = measured
            estimateFromHeaders = false
        } else if estimateFromHeaders, let e = estimate {
            // The headers' estimate was too high (the limit fell): trust what got through.
            estimate = measured.map { min($0, e) } ?? e * 0.8
        }
        let current = rate ?? measured.map { $0 * 2 } ?? Double(max(got, 1)) / max(span, 1)
        var next = current * 0.7
        if let estimate { next = min(current, estimate * configuration.headroom) }
        // A cut that does not cut is no answer to a 429.
        if next >= current { next = current * 0.9 }
        set(next)
        if let after = headers?.retryAfter, after > 0 { pausedUntil = max(pausedUntil, now + min(after, 3600)) }
        lastSignalAt = now
        admittedAtSignal = admitted
        lastProbeAt = max(now, pausedUntil)
        admittedAtProbe = admitted
        probeStep = 0.01
    }

    // MARK: - Headers

    private mutating func learn(from headers: RateLimitHeaders, now: Double) {
        guard let limit = headers.limit, limit > 0, let remaining = headers.remaining else { return }
        let current = Sample(at: now, remaining: remaining, limit: limit, admitted: admitted)
        guard let previous = sample else {
            sample = current
            return
        }
        if previous.limit != limit {
            sample = current
            return
        }
        let span = now - previous.at
        guard span >= configuration.sampleSpacing else { return }
        sample = current
        // Full now: nothing was drained, so the limit is at least what was sent.
        let capped = remaining >= limit - 1
        let refill = (Double(current.admitted - previous.admitted) + Double(remaining - previous.remaining)) / span
        headerCapped = capped
        if capped {
            // A full bucket: the limit is at least the refill seen; the rate may go higher.
            if refill > (estimate ?? 0) { estimate = refill }
            estimateFromHeaders = true
            return
        }
        guard refill > 0 else { return }
        let smoothed = estimateFromHeaders ? (estimate ?? refill) * 0.5 + refill * 0.5 : refill
        estimate = smoothed
        estimateFromHeaders = true
        // Out of tokens (a request or two left): hold lower so the bucket fills up again. Only
        // then: below the limit the bucket refills by itself, and holding lower for as long as
        // it is merely low (a client that started fast drains it) held 0.89x of the limit.
        let low = Double(remaining) < max(2, Double(limit) * 0.02)
        set(smoothed * (low ? configuration.headroom - 0.1 : configuration.headroom))
        lastProbeAt = now
        admittedAtProbe = admitted
    }

    // MARK: - Probing

    private mutating func probe(now: Double) {
        guard let rate, let lastProbeAt, now >= pausedUntil else { return }
        let span = now - lastProbeAt
        guard span >= configuration.probeInterval else { return }
        // Headers that say the bucket is draining already set the rate: no guessing then.
        if estimateFromHeaders && !headerCapped { return }
        let sent = Double(admitted - admittedAtProbe) / span
        self.lastProbeAt = now
        admittedAtProbe = admitted
        // Only a client held back by its pace learns anything by going faster.
        guard sent >= rate * 0.8 else { return }
        set(rate * (1 + probeStep))
        let free = estimate.map { (estimateFromHeaders && headerCapped) || rate > $0 * 1.05 } ?? true
        probeStep = free ? min(0.25, probeStep * 2) : 0.01
    }

    private mutating func set(_ value: Double) {
        var v = max(configuration.floor, value)
        if let ceiling = configuration.ceiling { v = min(v, ceiling) }
        rate = v
    }
}
