"""The embedded baseline of issue 6: a plain SQLite insert of the same rows memport stores
(one row per message: id, text, user, metadata, created_at), in transactions of 1000 rows as
memport's chunks are, into a WAL database with synchronous=NORMAL.

usage: plain_insert.py chats.jsonl out.db
Prints one JSON line: {"rows", "seconds"}.
"""
import json
import sqlite3
import sys
import time
import uuid


def main():
    path, db = sys.argv[1:3]
    rows = []
    for line in open(path):
        if not line.strip():
            continue
        conv = json.loads(line)
        for m in conv["messages"]:
            rows.append((str(uuid.uuid4()), m["content"], "plain", json.dumps({"conversation": conv["id"]}), time.time()))
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("CREATE TABLE memories (id TEXT PRIMARY KEY, memory TEXT, user_id TEXT, metadata TEXT, created_at REAL)")
    start = time.perf_counter()
    for i in range(0, len(rows), 1000):
        with con:
            con.executemany("INSERT INTO memories VALUES (?, ?, ?, ?, ?)", rows[i:i + 1000])
    seconds = time.perf_counter() - start
    print(json.dumps({"rows": len(rows), "seconds": round(seconds, 3)}))


if __name__ == "__main__":
    main()
