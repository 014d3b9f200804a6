import CSQLite

/// SQLite settings that belong to the whole process, applied once before its first connection.
///
/// SQLite keeps allocation statistics under one process-wide mutex that every allocation takes;
/// when the import's ledger and the store write on two threads at once, the two contend for it
/// on every row (a tenth of a bulk import's time). memport never reads those statistics, so
/// they are turned off. The setting only takes effect before SQLite initializes, which the first
/// connection does: both the store and the ledger call ``configure()`` before they open one.
public enum SQLiteProcess {
    /// Applies the settings if no connection has opened yet; later calls do nothing.
    public static func configure() {
        _ = applied
    }

    private static let applied: Bool = memport_sqlite_disable_memstatus() == SQLITE_OK
}
