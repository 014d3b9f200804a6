"""The embedded baselines of issue 6: plain SQLite inserts of the rows memport's embedded
store writes for the same input, with Python's sqlite3 and nothing else: every row built in
memory first, then only the inserts timed (executemany, one transaction per 1,000
conversations as memport's chunks are), into a WAL database with synchronous=NORMAL.

Two baselines, printed as one JSON line each:
- "store": the same rows memport writes, into the same schema (copied from a store memport
  created): per message a memory row (its indexes and full-text entry) and a history row, per
  conversation an event row, the user's entity; the store's cache and checkpoint settings.
- "table": one row per message (id, text, user, metadata, created_at) into a one-table
  database with only a primary key: the floor of what any SQLite insert costs.

usage: plain_insert.py chats.jsonl out-prefix memport-store.db
"""
import hashlib
import json
import os
import sqlite3
import sys
import time


def ids():
    """Time-ordered UUIDs as the store makes them (version 7 layout, counter in the low bits)."""
    n = int.from_bytes(os.urandom(7), "big")
    node = int.from_bytes(os.urandom(2), "big") & 0x0FFF
    while True:
        ms = int(time.time() * 1000) & 0xFFFFFFFFFFFF
        n += 1
        high = (ms << 16) | 0x7000 | node
        low = (n & 0x3FFFFFFFFFFFFFFF) | 0x8000000000000000
        h = f"{high:016x}{low:016x}"
        yield f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def conversations(path):
    for line in open(path):
        if line.strip():
            yield json.loads(line)


def store_rows(path):
    """Chunks of (memory rows, history rows, event rows), 1,000 conversations each."""
    gen = ids()
    now = time.time()
    chunk = ([], [], [])
    for i, conv in enumerate(conversations(path)):
        results = []
        meta = json.dumps({"memport_import_key": hashlib.sha256(conv["id"].encode()).hexdigest()})
        for m in conv["messages"]:
            mid, text = next(gen), m["content"]
            digest = hashlib.md5(text.encode()).hexdigest()
            chunk[0].append((mid, 1, text, digest, "plain", meta, 0, now, now))
            chunk[1].append((next(gen), 1, mid, "ADD", text,
                             json.dumps([{"content": text, "role": "user"}], separators=(",", ":")),
                             "plain", meta, now, now))
            results.append({"event": "ADD", "id": mid, "memory": text, "user_id": "plain"})
        chunk[2].append((next(gen), 1, "ADD", "SUCCEEDED", json.dumps(results, separators=(",", ":")), now, now))
        if (i + 1) % 1000 == 0:
            yield chunk
            chunk = ([], [], [])
    if chunk[0]:
        yield chunk


def store(path, db, template):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    schema = sqlite3.connect(template).execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'memories_fts_%' ORDER BY rowid"
    ).fetchall()
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA cache_size=-32768")
    con.execute("PRAGMA wal_autocheckpoint=8192")
    for (sql,) in schema:
        con.execute(sql)
    con.execute("INSERT INTO projects (id, org_id, project_id) VALUES (1, 'default-org', 'default-project')")
    chunks = list(store_rows(path))
    start = time.perf_counter()
    rows = 0
    for memories, history, events in chunks:
        con.execute("BEGIN")
        before = con.execute("SELECT COALESCE(MAX(seq), 0) FROM memories").fetchone()[0]
        con.executemany(
            "INSERT INTO memories (id, project, memory, hash, user_id, metadata, immutable, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", memories)
        con.executemany(
            "INSERT INTO history (id, project, memory_id, event, new_memory, input, user_id, metadata, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", history)
        con.executemany(
            "INSERT INTO events (id, project, event_type, status, results, created_at, completed_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)", events)
        con.execute("INSERT INTO memories_fts (rowid, memory) SELECT seq, memory FROM memories WHERE seq > ?",
                    (before,))
        con.execute("INSERT INTO entities (project, type, name, created_at, updated_at) VALUES (1, 'user', 'plain', ?, ?)"
                    " ON CONFLICT (project, type, name) DO UPDATE SET updated_at = excluded.updated_at",
                    (time.time(), time.time()))
        con.execute("COMMIT")
        rows += len(memories)
    return rows, time.perf_counter() - start


def table(path, db):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    gen = ids()
    rows = []
    for conv in conversations(path):
        for m in conv["messages"]:
            rows.append((next(gen), m["content"], "plain", json.dumps({"conversation": conv["id"]}), time.time()))
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("CREATE TABLE memories (id TEXT PRIMARY KEY, memory TEXT, user_id TEXT, metadata TEXT, created_at REAL)")
    start = time.perf_counter()
    for i in range(0, len(rows), 5000):
        with con:
            con.executemany("INSERT INTO memories VALUES (?, ?, ?, ?, ?)", rows[i:i + 5000])
    return len(rows), time.perf_counter() - start


def main():
    path, prefix, template = sys.argv[1:4]
    rows, seconds = store(path, prefix + "-store.db", template)
    print(json.dumps({"baseline": "store", "rows": rows, "seconds": round(seconds, 3)}))
    rows, seconds = table(path, prefix + "-table.db")
    print(json.dumps({"baseline": "table", "rows": rows, "seconds": round(seconds, 3)}))


if __name__ == "__main__":
    main()
