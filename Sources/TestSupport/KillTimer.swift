import Foundation

/// SIGKILLs a child process at a set moment, timed on a thread of its own: a task sleeping on
/// the cooperative pool, busy with other suites, woke up to a second late, after the run it was
/// meant to interrupt had already finished.
public enum KillTimer {
    /// Kills `pid` once `delay` has passed, unless it has exited by then.
    public static func kill(_ pid: pid_t, after delay: Duration) {
        let deadline = ContinuousClock.now + delay
        Thread {
            while Foundation.kill(pid, 0) == 0 {
                if ContinuousClock.now >= deadline {
                    Foundation.kill(pid, SIGKILL)
                    return
                }
                usleep(2_000)
            }
        }.start()
    }
}
