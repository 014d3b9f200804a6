import GRDB
import GRDBSQLite

/// An INSERT run many times in one transaction, its values bound through SQLite's C API.
///
/// GRDB's `execute(arguments:)` boxes every value into a `DatabaseValue` array and binds it
/// through one nested closure per argument; on the bulk add path that cost more than SQLite's
/// own work for the row. Here the values are bound straight from Swift strings and numbers
/// (copied by SQLite, `SQLITE_TRANSIENT`) and the step still goes through GRDB's `execute()`,
/// so its error handling and transaction bookkeeping are unchanged.
///
/// The statement is GRDB's cached one: ``init(_:sql:)`` marks its arguments as bound (placeholder
/// NULLs) so that `execute()` keeps the values bound here. Use it only inside the transaction
/// it was made in.
struct InsertStatement {
    private let statement: Statement
    private let handle: OpaquePointer

    /// Prepares (or takes from the connection's cache) the statement for `sql`.
    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        let count = Int(sqlite3_bind_parameter_count(handle))
        statement.setUncheckedArguments(StatementArguments(Array(repeating: DatabaseValue.null, count: count)))
    }

    /// Binds the row's values with `bind` (1-based positions), then inserts it.
    ///
    /// - Throws: GRDB's `DatabaseError` when SQLite refuses the row.
    func run(_ bind: (inout Binder) -> Void) throws {
        sqlite3_reset(handle)
        var binder = Binder(handle: handle)
        bind(&binder)
        if binder.failure != SQLITE_OK {
            let message = String(cString: sqlite3_errstr(binder.failure))
            throw DatabaseError(resultCode: ResultCode(rawValue: binder.failure), message: message, sql: statement.sql)
        }
        try statement.execute()
    }

    /// Binds values to the statement's positions, keeping the first failure.
    struct Binder {
        fileprivate let handle: OpaquePointer
        fileprivate var failure = SQLITE_OK

        mutating func callAsFunction(_ index: Int32, _ value: String?) {
            guard var value else { return check(sqlite3_bind_null(handle, index)) }
            let code = value.withUTF8 { bytes in
                guard let base = bytes.baseAddress, bytes.count > 0 else {
                    return sqlite3_bind_text(handle, index, "", 0, Self.transient)
                }
                return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
                    sqlite3_bind_text64(handle, index, chars, UInt64(bytes.count), Self.transient, UInt8(SQLITE_UTF8))
                }
            }
            check(code)
        }

        mutating func callAsFunction(_ index: Int32, _ value: Int64) {
            check(sqlite3_bind_int64(handle, index, value))
        }

        mutating func callAsFunction(_ index: Int32, _ value: Double?) {
            guard let value else { return check(sqlite3_bind_null(handle, index)) }
            check(sqlite3_bind_double(handle, index, value))
        }

        private mutating func check(_ code: Int32) {
            if failure == SQLITE_OK { failure = code }
        }

        /// SQLite copies the bytes before the call returns.
        private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    }
}
