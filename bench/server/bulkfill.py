#!/usr/bin/env python3
"""Bulk-loads memories straight into a `memport serve` database (the server stopped), with the
columns the store writes, for the 1,000,000-memory case: loading that many through HTTP on a
shared 2-core machine takes far longer than the measurement itself. Same layout as
`load.py fill`: 1000 memories for bench-user, the rest 1000 per user, one import key per 1000.

  bulkfill.py DB TOTAL
"""

import hashlib
import sqlite3
import sys
import time
import uuid


def main(path, total):
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("INSERT OR IGNORE INTO projects (org_id, project_id) VALUES ('default-org', 'default-project')")
    project = db.execute(
        "SELECT id FROM projects WHERE org_id = 'default-org' AND project_id = 'default-project'").fetchone()[0]
    before = db.execute("SELECT COALESCE(MAX(seq), 0) FROM memories").fetchone()[0]
    now = time.time()
    t0 = time.time()

    def rows():
        plan = [("bench-user", 1000)] + [(f"user-{u}", 1000) for u in range((total - 1000) // 1000)]
        n = 0
        for user, count in plan:
            for j in range(count):
                text = f"memory {j} of {user} about topic {j % 97}"
                meta = '{"memport_import_key":"%s-%d"}' % (user, j - j % 1000)
                yield (str(uuid.uuid4()), project, text, hashlib.md5(text.encode()).hexdigest(), user, meta,
                       now - total + n, now - total + n)
                n += 1

    db.executemany(
        """INSERT INTO memories (id, project, memory, hash, user_id, metadata, immutable, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)""", rows())
    db.executemany(
        "INSERT OR IGNORE INTO entities (project, type, name, created_at, updated_at) VALUES (?, 'user', ?, ?, ?)",
        [(project, u, now, now) for u in ["bench-user"] + [f"user-{i}" for i in range((total - 1000) // 1000)]])
    # The store writes full-text entries per transaction (no insert trigger); do the same here.
    db.execute("INSERT INTO memories_fts (rowid, memory) SELECT seq, memory FROM memories WHERE seq > ?", (before,))
    db.commit()
    count = db.execute("SELECT COUNT(*) FROM memories").fetchone()[0]
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    print('{"bulk_filled": %d, "seconds": %.1f}' % (count, time.time() - t0))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
