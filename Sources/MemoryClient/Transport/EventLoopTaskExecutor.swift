import NIOCore

/// A task executor that runs jobs on one NIO event loop.
///
/// Tasks that prefer it run on the thread that also reads and writes the client's
/// connections, so an answer resumes the task that waits for it without waking another thread.
public final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(loop: any EventLoop) {
        self.loop = loop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
