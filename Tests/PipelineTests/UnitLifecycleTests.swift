import Testing

@testable import Pipeline

@Suite struct UnitLifecycleTests {
    typealias E = UnitLifecycle.Event
    typealias A = UnitLifecycle.Action

    /// Runs events through a fresh machine and returns the actions and the final machine.
    func run(_ events: [E], maxAttempts: Int = 3) -> ([A], UnitLifecycle) {
        var m = UnitLifecycle(policy: .init(maxAttempts: maxAttempts))
        return (events.map { m.handle($0) }, m)
    }

    @Test func aNewUnitIsSentAndConfirmed() {
        let (actions, m) = run([.begin(previous: nil, eventID: nil), .applied(memoryIDs: ["m1", "m2"])])
        #expect(actions == [.send, .finish])
        #expect(m.state == .confirmed && m.memoryIDs == ["m1", "m2"] && m.attempts == 1)
    }

    @Test func aSendThatMatchesWhatTheTargetHeldIsAlreadyThereUnlessAnEarlierSendMayHaveLanded() {
        let first = run([.begin(previous: nil, eventID: nil), .matched(memoryIDs: ["m1"])])
        #expect(first.0 == [.send, .finish])
        #expect(first.1.state == .skippedExisting && first.1.memoryIDs == ["m1"], "nothing new was written")
        // After a send that may have landed, the match may be that send's own memory.
        let retried = run([
            .begin(previous: nil, eventID: nil), .failed(.transient(message: "503")), .matched(memoryIDs: ["m1"]),
        ])
        #expect(retried.0 == [.send, .send, .finish] && retried.1.state == .confirmed)
        let crashed = run([
            .begin(previous: .inFlight, eventID: nil), .lookedUp(memoryIDs: []), .matched(memoryIDs: ["m2"]),
        ])
        #expect(crashed.1.state == .skippedExisting, "the lookup ruled this unit's own send out")
    }

    @Test func finalStatesAreNeverSentAgain() {
        for s in [UnitState.confirmed, .rejected, .skippedExisting] {
            let (actions, m) = run([.begin(previous: s, eventID: nil)])
            #expect(actions == [.finish] && m.state == s && m.attempts == 0)
        }
    }

    @Test func aUnitLeftInFlightByACrashIsLookedUpFirst() {
        let found = run([.begin(previous: .inFlight, eventID: nil), .lookedUp(memoryIDs: ["m1"])])
        #expect(found.0 == [.lookUp, .finish])
        #expect(found.1.state == .skippedExisting && found.1.attempts == 0, "found without sending: nothing new")
        let missing = run([
            .begin(previous: .inFlight, eventID: nil), .lookedUp(memoryIDs: []), .applied(memoryIDs: ["m9"]),
        ])
        #expect(missing.0 == [.lookUp, .send, .finish] && missing.1.state == .confirmed)
    }

    @Test func aQueuedJobIsPolledNotResent() {
        let (actions, m) = run([
            .begin(previous: nil, eventID: nil), .queued(eventID: "e1"),
            .jobFinished(succeeded: true, memoryIDs: ["m1"], error: nil),
        ])
        #expect(actions == [.send, .poll(eventID: "e1"), .finish] && m.state == .confirmed)
        let resumed = run([.begin(previous: .submitted, eventID: "e7")])
        #expect(resumed.0 == [.poll(eventID: "e7")] && resumed.1.state == .submitted && resumed.1.attempts == 0)
        let noEvent = run([.begin(previous: .submitted, eventID: nil)])
        #expect(noEvent.0 == [.lookUp])
        let pollFailed = run([
            .begin(previous: .submitted, eventID: "e7"), .failed(.transient(message: "503")),
        ])
        #expect(pollFailed.0 == [.poll(eventID: "e7"), .poll(eventID: "e7")], "a failed poll polls again")
    }

    @Test func anAmbiguousFailureIsLookedUpThenResentWithinTheAttempts() {
        let (actions, m) = run(
            [
                .begin(previous: nil, eventID: nil), .failed(.ambiguous(message: "connection reset")),
                .lookedUp(memoryIDs: []), .failed(.ambiguous(message: "reset")), .lookedUp(memoryIDs: ["m1"]),
            ], maxAttempts: 3)
        #expect(actions == [.send, .lookUp, .send, .lookUp, .finish])
        #expect(m.state == .confirmed && m.attempts == 2, "found after sending: delivered by this run")
    }

    @Test func attemptsAreBounded() {
        let (actions, m) = run(
            [
                .begin(previous: nil, eventID: nil), .failed(.ambiguous(message: "a")), .lookedUp(memoryIDs: []),
                .failed(.ambiguous(message: "b")), .lookedUp(memoryIDs: []),
            ], maxAttempts: 2)
        #expect(actions == [.send, .lookUp, .send, .lookUp, .deferToLaterRun])
        #expect(m.state == .pending, "the last lookup proved it absent, so a later run may send it")
    }

    @Test func transientFailuresAreSentAgainInTheRunUntilTheAttemptsAreUsed() {
        let (actions, m) = run([
            .begin(previous: .pending, eventID: nil), .failed(.transient(message: "HTTP 503")),
            .failed(.transient(message: "HTTP 503")), .failed(.transient(message: "HTTP 503")),
        ])
        #expect(actions == [.send, .send, .send, .deferToLaterRun] && m.state == .pending && m.lastError == "HTTP 503")
        var budgetless = UnitLifecycle(policy: .init(maxAttempts: 3))
        _ = budgetless.handle(.begin(previous: nil, eventID: nil))
        _ = budgetless.handle(.failed(.transient(message: "503")))
        #expect(budgetless.deferNow() == .deferToLaterRun && budgetless.state == .pending)
    }

    @Test func aLookupThatFailsIsTriedAgainAndKeepsTheUnitLookUpFirst() {
        let (actions, m) = run(
            [
                .begin(previous: nil, eventID: nil), .failed(.ambiguous(message: "reset")),
                .failed(.transient(message: "lookup got 503")), .failed(.transient(message: "lookup got 503")),
            ], maxAttempts: 1)
        #expect(actions == [.send, .lookUp, .lookUp, .deferToLaterRun] && m.state == .inFlight)
    }

    @Test func refusedDataIsRejectedWithItsReason() {
        let (actions, m) = run([
            .begin(previous: nil, eventID: nil), .failed(.refused(reason: "validation", status: 400, message: "bad")),
        ])
        #expect(actions == [.send, .finish] && m.state == .rejected)
        #expect(m.rejection?.reason == "validation" && m.rejection?.status == 400)
    }

    @Test func aRefusedKeyStopsTheJobWithoutChangingTheUnit() {
        let (actions, m) = run([.begin(previous: nil, eventID: nil), .failed(.authentication(message: "401"))])
        #expect(actions == [.send, .stopJob(message: "401")])
        #expect(m.state == .inFlight && !m.state.isFinal, "resume looks it up")
    }

    @Test func aFailedJobIsResentWithinTheAttempts() {
        let (actions, m) = run(
            [
                .begin(previous: nil, eventID: nil), .queued(eventID: "e1"),
                .jobFinished(succeeded: false, memoryIDs: [], error: "boom"), .queued(eventID: "e2"),
                .jobFinished(succeeded: false, memoryIDs: [], error: "boom again"),
            ], maxAttempts: 2)
        #expect(actions == [.send, .poll(eventID: "e1"), .send, .poll(eventID: "e2"), .deferToLaterRun])
        #expect(m.state == .pending && m.lastError == "boom again")
    }

    /// Every event from every reachable machine leads to a defined action, and a final state is
    /// only ever reached through `.finish`.
    @Test func exhaustiveWalkNeverFinishesSilently() {
        let events: [E] = [
            .lookedUp(memoryIDs: []), .lookedUp(memoryIDs: ["x"]), .applied(memoryIDs: ["y"]),
            .queued(eventID: "q"), .jobFinished(succeeded: true, memoryIDs: ["z"], error: nil),
            .jobFinished(succeeded: false, memoryIDs: [], error: "f"), .failed(.ambiguous(message: "a")),
            .failed(.transient(message: "t")), .failed(.refused(reason: "r", status: 400, message: "m")),
            .failed(.authentication(message: "k")),
        ]
        var frontier: [UnitLifecycle] = []
        for previous in [nil] + UnitState.allCases.map(Optional.some) {
            var m = UnitLifecycle(policy: .init(maxAttempts: 2))
            _ = m.handle(.begin(previous: previous, eventID: previous == .submitted ? "e" : nil))
            frontier.append(m)
        }
        var steps = 0
        for _ in 0..<4 {
            var next: [UnitLifecycle] = []
            for m in frontier where !m.state.isFinal {
                for e in events {
                    var copy = m
                    let action = copy.handle(e)
                    steps += 1
                    if copy.state.isFinal { #expect(action == .finish, "\(e) reached \(copy.state) with \(action)") }
                    if action == .finish { #expect(copy.state.isFinal) }
                    #expect(copy.attempts <= 2)
                    next.append(copy)
                }
            }
            frontier = next
        }
        #expect(steps > 1000)
    }
}
