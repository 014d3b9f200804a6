import Foundation
import GRDB

/// A store's SQLite file opened read-only, with the checks every file store shares: the file is
/// SQLite, its tables and their columns.
struct SQLiteFile {
    let queue: DatabaseQueue
    let path: String
    /// The tables, by name.
    let tables: Set<String>

    /// Opens the file read-only and lists its tables.
    ///
    /// - Throws: `ReadingError` `.unreadable` when it is not a SQLite database or cannot be opened.
    init(path: String, store: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "memport.oss-store"
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            tables = try queue.read { db in
                Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
            }
        } catch let error as DatabaseError {
            let reason =
                error.resultCode == .SQLITE_NOTADB
                ? "the file is not a SQLite database" : "the SQLite file cannot be read"
            throw ReadingError.store(
                .unreadable, "\(reason): \(path)", store: store, cause: error.message ?? "\(error.resultCode)")
        } catch {
            throw ReadingError.store(.unreadable, "cannot open \(path)", store: store, cause: "\(error)")
        }
    }

    /// A table's column names, lowercased.
    func columns(_ table: String) throws -> Set<String> {
        try queue.read { db in
            Set(
                try Row.fetchAll(db, sql: "PRAGMA table_info(\(table.quotedDatabaseIdentifier))").map {
                    ($0["name"] as String).lowercased()
                })
        }
    }
}
