#ifndef MEMPORT_CSQLITE_SHIM_H
#define MEMPORT_CSQLITE_SHIM_H

#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call: this turns off SQLite's memory
/// statistics (SQLITE_CONFIG_MEMSTATUS), which take a process-wide mutex on every allocation.
/// Effective only before SQLite initializes (the first connection); SQLITE_MISUSE after.
static inline int memport_sqlite_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

#endif
