import CSQLite
import Dispatch
import Synchronization

/// Checkpoints the store's write-ahead log mostly on a thread of its own, so the writer does not
/// stall for a whole checkpoint.
///
/// SQLite's automatic checkpoint runs on the connection that committed, right after the commit:
/// it copies the log's pages into the database file and syncs both, and until it is done the one
/// writer applies nothing. Under a server's steady adds that was a stall of a tenth of a second
/// every few hundred calls, during which every client waited.
///
/// Here the writer's commit hook only looks at the log's size. Every ``backgroundPages`` pages a
/// `PASSIVE` checkpoint runs on a connection of its own, which copies what is committed while the
/// writer goes on appending. The log can only restart from its beginning once a checkpoint has
/// caught up with it, which a checkpoint beside a busy writer rarely does; so after each
/// background checkpoint the writer, at its next commit, copies the few pages committed in the
/// meantime itself. Whatever the writer copies, every add waits for (a catch-up of a thousand
/// pages, with its two syncs, stalled a server's adds for 25-30 ms), so while more than
/// ``quickPages`` are left, up to ``followRounds`` further background rounds run first, each
/// copying what was committed during the one before, for as long as what is left shrinks; the
/// writer then copies at most
/// ``catchUpPages`` (else the next background round comes after ``backgroundPages``). Past
/// ``writerPages`` (a reader held an old snapshot, say) the writer checkpoints whatever the size,
/// as SQLite would, so the log stays bounded.
final class WALCheckpointer: Sendable {
    /// Pages appended to the log between background checkpoints.
    let backgroundPages: Int32
    /// The most pages the writer copies itself to let the log restart.
    let catchUpPages: Int32
    /// Pages few enough for the writer to copy at once, without another background round first.
    let quickPages: Int32
    /// Background rounds that may follow one another to shrink the writer's catch-up.
    let followRounds: Int
    /// The log size, in pages, from which the writer checkpoints after each commit.
    let writerPages: Int32

    private struct State: Sendable {
        /// The log's size when the last background checkpoint started.
        var startedAt: Int32 = 0
        /// The log's size at the previous commit (a smaller size means the log restarted).
        var lastSize: Int32 = 0
        var running = false
        /// Pages the last background checkpoint copied up to, until the writer catches up.
        var caughtUpTo: Int32?
        /// Background rounds run since the last interval's round, to shrink the catch-up.
        var following = 0
        /// The pages left behind by the last round that was followed.
        var lastBehind: Int32 = .max
        var background = 0
        var writer = 0
    }

    private let path: String
    private let queue = DispatchQueue(label: "memport.store.checkpoint", qos: .utility)
    private let state = Mutex(State())

    /// A checkpointer of the database file at `path`.
    init(
        path: String, backgroundPages: Int32 = 4096, catchUpPages: Int32 = 1024, quickPages: Int32 = 64,
        followRounds: Int = 3, writerPages: Int32 = 65_536
    ) {
        self.path = path
        self.backgroundPages = max(backgroundPages, 1)
        self.catchUpPages = max(catchUpPages, 1)
        self.quickPages = min(max(quickPages, 1), self.catchUpPages)
        self.followRounds = max(followRounds, 0)
        self.writerPages = max(writerPages, backgroundPages)
    }

    /// Checkpoints finished so far: on the background connection, and by the writer.
    var counts: (background: Int, writer: Int) { state.withLock { ($0.background, $0.writer) } }

    /// Makes `connection` (the store's writer) report its commits here. This replaces SQLite's
    /// automatic checkpoint on that connection.
    ///
    /// The hook does not retain the checkpointer: the caller keeps it alive for as long as the
    /// connection is open (the store captures it in the writer's `prepareDatabase`, which GRDB
    /// keeps in the connection's configuration until the connection is closed).
    func attach(to connection: OpaquePointer?) {
        sqlite3_wal_hook(connection, walHook, Unmanaged.passUnretained(self).toOpaque())
    }

    /// What the writer does after a commit that left the log at `size` pages.
    enum Decision: Equatable {
        case nothing, startBackground, checkpointOnWriter
    }

    /// Called on the writer after each commit with the log's size in pages.
    func committed(walPages size: Int32, connection: OpaquePointer?) {
        switch decide(size) {
        case .nothing: return
        case .checkpointOnWriter:
            if sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil) == SQLITE_OK {
                state.withLock { $0.writer += 1 }
            }
        case .startBackground:
            queue.async { [self] in finished(copied: checkpointNow()) }
        }
    }

    /// The decision for a commit, and the state it leaves.
    func decide(_ size: Int32) -> Decision {
        state.withLock { s in
            if size < s.lastSize { s.startedAt = 0 }
            s.lastSize = size
            if size >= writerPages { return .checkpointOnWriter }
            if !s.running, let copied = s.caughtUpTo {
                s.caughtUpTo = nil
                if size >= copied {
                    let behind = size - copied
                    // A round is only worth following while the gap shrinks.
                    let follow = s.following < followRounds && behind < s.lastBehind
                    if behind <= quickPages || (!follow && behind <= catchUpPages) {
                        s.following = 0
                        s.lastBehind = .max
                        return .checkpointOnWriter
                    }
                    if follow {
                        s.following += 1
                        s.lastBehind = behind
                        s.running = true
                        s.startedAt = size
                        return .startBackground
                    }
                }
                s.following = 0
                s.lastBehind = .max
            }
            guard !s.running, size - s.startedAt >= backgroundPages else { return .nothing }
            s.running = true
            s.startedAt = size
            return .startBackground
        }
    }

    /// Records the end of a background checkpoint that copied the log up to `copied` pages (nil: it failed).
    func finished(copied: Int32?) {
        state.withLock { s in
            s.running = false
            s.caughtUpTo = copied
            if copied != nil { s.background += 1 }
        }
    }

    /// One `PASSIVE` checkpoint on a connection of its own; the log pages it copied up to, or
    /// nil when it failed (the next commits try again; the log stays correct, only longer).
    private func checkpointNow() -> Int32? {
        var connection: OpaquePointer?
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK
        else {
            sqlite3_close_v2(connection)
            return nil
        }
        defer { sqlite3_close_v2(connection) }
        sqlite3_busy_timeout(connection, 1000)
        // The pragma, unlike sqlite3_wal_checkpoint on a connection that has read nothing yet,
        // opens the log first on every SQLite version. Its row: busy, log pages, pages copied.
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, "PRAGMA wal_checkpoint(PASSIVE)", -1, &statement, nil) == SQLITE_OK
        else { return nil }
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else { return nil }
        return sqlite3_column_int(statement, 2)
    }
}

/// The writer's commit hook: forwards the log's size to the checkpointer in `context`.
private func walHook(
    _ context: UnsafeMutableRawPointer?, _ connection: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ pages: Int32
) -> Int32 {
    guard let context else { return SQLITE_OK }
    Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue()
        .committed(walPages: pages, connection: connection)
    return SQLITE_OK
}
