import Foundation
import GRDB
import Reading

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Ledger {
    /// What is at the ledger's path before it is opened.
    enum FileState: Equatable {
        /// Nothing: a new ledger is created.
        case missing
        /// An SQLite database that passed the header checks.
        case database
    }

    /// Checks the file at `path` before SQLite opens it: a zero-byte file, a file too short for
    /// an SQLite header, a file that is not SQLite, or a database shorter than its header says
    /// is refused, naming the path and how to start over (SQLite itself would take the first as
    /// a new, empty database: a silent fresh start that sends every job again).
    ///
    /// - Throws: `PipelineError` `.ledger`.
    static func inspect(path: String) throws -> FileState {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return .missing }
            throw PipelineError(.ledger, "cannot read the ledger \(path): \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw refusal(path, "is not a regular file") }
        let size = Int64(info.st_size)
        if size == 0 { throw refusal(path, "is empty (0 bytes)") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PipelineError(.ledger, "cannot read the ledger \(path): \(String(cString: strerror(errno)))")
        }
        defer { try? handle.close() }
        let header = [UInt8]((try? handle.read(upToCount: 100)) ?? Data())
        guard header.count == 100, header.starts(with: Array("SQLite format 3\u{0}".utf8)) else {
            throw refusal(path, "is not an SQLite database (\(size) bytes of something else)")
        }
        func be32(_ at: Int) -> UInt32 { header[at..<at + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
        let rawPageSize = Int64(header[16]) << 8 | Int64(header[17])
        let pageSize = rawPageSize == 1 ? 65_536 : rawPageSize
        guard pageSize >= 512, pageSize & (pageSize - 1) == 0 else {
            throw refusal(path, "has a damaged SQLite header (page size \(rawPageSize))")
        }
        // The header's page count is valid when its version-valid-for number matches the change
        // counter. A database file shorter than that count is cut off, unless a write-ahead log
        // still holds the pages a checkpoint had not copied yet.
        let pages = Int64(be32(28))
        if be32(92) == be32(24), pages > 0, size < pages * pageSize, !hasWAL(path) {
            throw refusal(
                path, "is truncated: \(size) bytes, its header counts \(pages) pages of \(pageSize) bytes")
        }
        return .database
    }

    /// The tables of an opened database must be a ledger's (the migrations table and `job`),
    /// or none of memport's: a foreign database is refused before a migration adds tables to it.
    static func checkTables(_ db: Database, path: String) throws {
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        if tables.contains("grdb_migrations") && tables.contains("job") { return }
        if tables.isEmpty { throw refusal(path, "is an SQLite database with no tables: not a memport ledger") }
        throw refusal(
            path, "is an SQLite database of something else (tables: \(tables.prefix(5).joined(separator: ", ")))")
    }

    /// Creates a new ledger without ever leaving a half-made file at `path`: the schema is built
    /// in a temporary file (mode 0600) that is then linked into place, so a crash leaves either
    /// no ledger or a complete one. When another process created it meanwhile, its file stays.
    static func create(path: String) throws {
        let temp = path + ".new-\(getpid())"
        unlink(temp)
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw PipelineError(.ledger, "cannot create the ledger \(temp): \(String(cString: strerror(errno)))")
        }
        fchmod(fd, 0o600)
        close(fd)
        defer { unlink(temp) }
        do {
            // Nobody else sees the temporary file: its migrations need no journal on disk and no
            // sync each (five of each cost tens of milliseconds at every first run); the whole
            // file is synced once before it is linked into place.
            var config = Configuration()
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF")
            }
            let queue = try DatabaseQueue(path: temp, configuration: config)
            try migrator.migrate(queue)
            // The file is marked for the write-ahead log here, so the first open of the linked
            // ledger need not switch it through a rollback journal (three more syncs).
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
            try queue.close()
            try syncFile(temp)
        } catch let error as PipelineError {
            throw error
        } catch {
            throw PipelineError(.ledger, "cannot create the ledger \(path): \(error)")
        }
        // link(2) never replaces an existing file.
        if link(temp, path) != 0 && errno != EEXIST {
            throw PipelineError(.ledger, "cannot create the ledger \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Flushes a file's contents to the disk.
    private static func syncFile(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0, fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            if fd >= 0 { close(fd) }
            throw PipelineError(.ledger, "cannot create the ledger \(path): \(reason)")
        }
        close(fd)
    }

    /// Makes the ledger and its `-wal` and `-shm` files readable by their owner only.
    static func restrictModes(path: String) {
        for file in [path, path + "-wal", path + "-shm"] { chmod(file, 0o600) }
    }

    private static func hasWAL(_ path: String) -> Bool {
        var info = stat()
        return stat(path + "-wal", &info) == 0 && info.st_size > 0
    }

    private static func refusal(_ path: String, _ what: String) -> PipelineError {
        PipelineError(
            .ledger,
            "\(path) \(what): it is not a memport ledger, and memport will not start over in its place (every job "
                + "would be sent again). Restore it from a copy, or, to start a new job history, move it aside "
                + "(mv '\(path)' '\(path).bad', with its -wal and -shm files) and run again")
    }
}
