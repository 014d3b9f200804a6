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
/// meantime itself (at most ``catchUpPages``, else another background round runs first). Past
/// ``writerPages`` (a reader held an old snapshot, say) the writer checkpoints whatever the size,
/// as SQLite would, so the log stays bounded.
final class WALCheckpointer: Sendable {
    /// Pages appended to the log between background checkpoints.
    let backgroundPages: Int32
    /// The most pages the writer copies itself to let the log restart.
    let catchUpPages: Int32
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
        var background = 0
        /// Times the log was seen to start again from its beginning.
        var restarts = 0
    }

    private let path: String
    private let queue = DispatchQueue(label: "memport.store.checkpoint", qos: .utility)
    private let state = Mutex(State())

    /// A checkpointer of the database file at `path`.
    init(path: String, backgroundPages: Int32 = 4096, catchUpPages: Int32 = 1024, writerPages: Int32 = 65_536) {
        self.path = path
        self.backgroundPages = max(backgroundPages, 1)
        self.catchUpPages = max(catchUpPages, 1)
        self.writerPages = max(writerPages, backgroundPages)
    }

    /// Background checkpoints finished so far, and the times the log restarted from its beginning.
    var counts: (background: Int, restarts: Int) { state.withLock { ($0.background, $0.restarts) } }

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
            // A failed checkpoint leaves the log correct, only longer; the next commit tries again.
            let rc = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            if rc == SQLITE_BUSY && size >= writerPages {
                // A background round holds the checkpoint lock. Past the bound the writer waits
                // for it (it copies what is committed, so it ends) and then copies the rest:
                // otherwise the log would grow for as long as rounds keep starting.
                queue.sync {}
                sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            }
        case .startBackground:
            queue.async { [self] in finished(copied: checkpointNow()) }
        }
    }

    /// The decision for a commit, and the state it leaves.
    func decide(_ size: Int32) -> Decision {
        state.withLock { s in
            if size < s.lastSize {
                s.startedAt = 0
                s.restarts += 1
            }
            s.lastSize = size
            if size >= writerPages { return .checkpointOnWriter }
            if !s.running, let copied = s.caughtUpTo {
                s.caughtUpTo = nil
                if size >= copied && size - copied <= catchUpPages { return .checkpointOnWriter }
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
