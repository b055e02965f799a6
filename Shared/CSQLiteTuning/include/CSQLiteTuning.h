#ifndef ECO_CSQLITETUNING_H
#define ECO_CSQLITETUNING_H

/// Turns off SQLite's memory statistics (SQLITE_CONFIG_MEMSTATUS) for the process.
///
/// With statistics on, every sqlite3_malloc and sqlite3_free takes SQLite's global memory
/// mutex to count bytes; in the services that was about 5% of the CPU (pthread mutex lock and
/// unlock under sqlite3Malloc in a perf profile of the order saga). Nothing here reads those
/// statistics. sqlite3_config is variadic, which Swift cannot call, hence this C function.
/// It only takes effect before SQLite is first initialised (the first connection opened);
/// later it returns SQLITE_MISUSE and changes nothing. Returns SQLite's result code.
int eco_sqlite_disable_memory_statistics(void);

#endif
