#ifndef MEMPORT_CSQLITE_SHIM_H
#define MEMPORT_CSQLITE_SHIM_H

#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call: this turns off SQLite's memory
/// statistics (SQLITE_CONFIG_MEMSTATUS), which take a process-wide mutex on every allocation.
/// Effective only before SQLite initializes (the first connection); SQLITE_MISUSE after.
static inline int memport_sqlite_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/// sqlite3_db_config is variadic too: this keeps a connection's close from checkpointing the
/// write-ahead log (SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE). The log stays beside the database, as
/// durable as before, and the next writer folds it in at its own automatic checkpoint.
static inline int memport_sqlite_no_checkpoint_on_close(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}

#endif
