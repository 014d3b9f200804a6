"""Seeds real Mem0 OSS stores for memport's tests and benchmarks, and reads them back.

Uses the real `mem0ai` 2.2.1 `Memory` class with `infer=False`, writing into real Chroma
(`PersistentClient`) or real PostgreSQL + pgvector (started with `pgserver`, on a Unix socket).
The embedding provider is replaced by a deterministic local hashing embedder registered under
the `openai` provider name, so nothing is downloaded and no key is needed.

    seed.py chroma --path DIR [--count N] [--out expected.json]
    seed.py pgvector --pgdata DIR [--table mem0] [--count N] [--out expected.json]
    seed.py bulk-chroma --path DIR --count N          (benchmarks: the store's own client, batched)
    seed.py bulk-pgvector --pgdata DIR --count N [--table mem0]
    seed.py pg-start --pgdata DIR                     (prints the server's URI)
    seed.py pg-stop --pgdata DIR
    seed.py pg-sql --pgdata DIR --sql STATEMENT

`expected.json` holds what the store holds after the seeding, read with the store's own client
and cross-checked with `Memory.get_all(top_k=...)` above the count (its default of 20 per scope
truncates silently): {"uri", "collection", "live": [{id, memory, user_id, agent_id, run_id,
metadata, created_at, updated_at, expiration_date}], "deleted": [ids]}.
"""

import argparse
import hashlib
import json
import math
import os
import sys
import uuid
from datetime import datetime, timedelta, timezone

os.environ.setdefault("MEM0_TELEMETRY", "False")
os.environ.setdefault("OPENAI_API_KEY", "sk-memport-test-not-used")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

DIMS = 64


class HashEmbedding:
    """A deterministic bag-of-words hashing embedder: no model, no network."""

    def __init__(self, config=None):
        self.config = config

    def embed(self, text, memory_action=None):
        vector = [0.0] * DIMS
        for token in str(text).lower().split():
            digest = hashlib.sha256(token.encode()).digest()
            index = int.from_bytes(digest[:4], "little") % DIMS
            vector[index] += 1.0 if digest[4] % 2 == 0 else -1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]


def register_embedder():
    from mem0.utils.factory import EmbedderFactory

    sys.modules.setdefault("memport_hash_embedder", sys.modules[__name__])
    EmbedderFactory.provider_to_class["openai"] = "memport_hash_embedder.HashEmbedding"


def memory_for(vector_store):
    register_embedder()
    from mem0 import Memory

    config = {
        "vector_store": vector_store,
        "embedder": {"provider": "openai", "config": {"embedding_dims": DIMS}},
        "llm": {"provider": "openai", "config": {"api_key": "sk-memport-test-not-used"}},
        "history_db_path": os.path.join(os.environ.get("MEM0_DIR", "/tmp"), f"history-{uuid.uuid4().hex}.db"),
    }
    return Memory.from_config(config)


SCOPES = [
    {"user_id": "alice"},
    {"user_id": "bob"},
    {"user_id": "carol", "agent_id": "coach"},
    {"agent_id": "travel-bot"},
    {"run_id": "run-7"},
    {"user_id": "dave", "run_id": "run-8"},
]


def seed_memory(memory, count):
    """Adds `count` varied memories, updates some, deletes some; returns the deleted ids."""
    ids = []
    base = datetime(2024, 3, 1, 9, 30, 15, 123456, tzinfo=timezone.utc)
    for i in range(count):
        # alice gets more than 20 memories, past get_all's default page.
        scope = SCOPES[0] if i % 3 == 0 else SCOPES[i % len(SCOPES)]
        metadata = {"topic": ["food", "travel", "work", "health"][i % 4], "seq": i}
        if i % 5 == 0:
            metadata["priority"] = 1.5
            metadata["pinned"] = i % 10 == 0
        if i % 4 == 1:
            # A backdated memory: mem0 keeps a created_at given in metadata (#4499).
            metadata["created_at"] = (base + timedelta(days=i, seconds=i)).isoformat()
        message = {"role": "assistant" if i % 7 == 3 else "user", "content": f"memory {i}: {topic_text(i)}"}
        if i % 6 == 2:
            message["name"] = f"speaker-{i % 3}"
        kwargs = dict(scope)
        if i % 8 == 5:
            kwargs["expiration_date"] = "2099-12-31"
        result = memory.add([message], metadata=metadata, infer=False, **kwargs)
        for r in result.get("results", []):
            ids.append(r["id"])
    deleted = []
    for n, memory_id in enumerate(ids):
        if n % 9 == 4:
            memory.update(memory_id, text=f"updated text of memory {n}", metadata={"edited": True})
        elif n % 11 == 6:
            memory.delete(memory_id)
            deleted.append(memory_id)
    return deleted


def topic_text(i):
    words = ["likes espresso", "flies to Lisbon in May", "prefers standing desks", "runs 5k on Sundays",
             "is allergic to peanuts", "reads Ursula K. Le Guin", "uses vim", "ünïcødé — 日本語 ok"]
    return words[i % len(words)]


CORE = {"data", "hash", "created_at", "updated_at", "id", "text_lemmatized", "attributed_to", "user_id",
        "agent_id", "run_id", "actor_id", "role", "expiration_date"}


def record(point_id, payload):
    return {
        "id": str(point_id),
        "memory": payload.get("data"),
        "user_id": payload.get("user_id"),
        "agent_id": payload.get("agent_id"),
        "run_id": payload.get("run_id"),
        "metadata": {k: v for k, v in payload.items() if k not in CORE and v is not None},
        "created_at": payload.get("created_at"),
        "updated_at": payload.get("updated_at"),
        "expiration_date": payload.get("expiration_date"),
        "role": payload.get("role"),
        "actor_id": payload.get("actor_id"),
    }


def cross_check(memory, live):
    """Memory.get_all with top_k above the count sees exactly what the store holds."""
    seen = set()
    for scope in SCOPES:
        got = memory.get_all(filters=scope, top_k=100000, show_expired=True)
        for item in got.get("results", []):
            seen.add(item["id"])
    want = {r["id"] for r in live}
    if not want <= seen:
        raise SystemExit(f"get_all misses {len(want - seen)} live memories")


def chroma_read(path, collection):
    import chromadb
    from chromadb.config import Settings

    client = chromadb.PersistentClient(path=path, settings=Settings(anonymized_telemetry=False))
    col = client.get_collection(collection)
    got = col.get(include=["metadatas"])
    return [record(i, m or {}) for i, m in zip(got["ids"], got["metadatas"])]


def pg_read(uri, table):
    import psycopg

    with psycopg.connect(uri) as conn:
        rows = conn.execute(f"SELECT id, payload FROM {table} ORDER BY id").fetchall()
    return [record(i, p) for i, p in rows]


def pg_server(pgdata):
    import pgserver

    return pgserver.get_server(pgdata, cleanup_mode=None)


def pg_parts(uri):
    # postgresql://postgres:@/postgres?host=/dir
    from urllib.parse import parse_qs, urlsplit

    u = urlsplit(uri)
    return {
        "user": u.username or "postgres",
        "password": u.password or "",
        "dbname": (u.path or "/postgres").lstrip("/") or "postgres",
        "host": parse_qs(u.query).get("host", [u.hostname or ""])[0],
    }


def pg_vector_config(uri, table):
    return {"provider": "pgvector", "config": {
        "collection_name": table, "embedding_model_dims": DIMS, "connection_string": uri,
        "hnsw": False, "diskann": False}}


def telemetry_and_entities_chroma(path, collection):
    """What mem0 leaves beside the memories: the telemetry and entity collections."""
    import chromadb
    from chromadb.config import Settings

    client = chromadb.PersistentClient(path=path, settings=Settings(anonymized_telemetry=False))
    emb = HashEmbedding()
    t = client.get_or_create_collection("mem0migrations")
    t.upsert(ids=[str(uuid.uuid4())], embeddings=[emb.embed("telemetry")], metadatas=[{"user_id": "anon-123", "data": "anon-123"}])
    e = client.get_or_create_collection(f"{collection}_entities")
    e.upsert(ids=[str(uuid.uuid4())], embeddings=[emb.embed("Lisbon")],
             metadatas=[{"data": "Lisbon", "user_id": "alice", "entity_type": "PROPER"}])


def telemetry_and_entities_pg(uri, table):
    import psycopg

    with psycopg.connect(uri, autocommit=True) as conn:
        for name in ("mem0migrations", f"{table}_entities"):
            conn.execute(f"CREATE TABLE IF NOT EXISTS {name} (id UUID PRIMARY KEY, vector vector({DIMS}), payload JSONB)")
            conn.execute(f"INSERT INTO {name} (id, vector, payload) VALUES (%s, %s::vector, %s)",
                         (str(uuid.uuid4()), str(HashEmbedding().embed(name)), json.dumps({"data": name, "user_id": "anon"})))


def write(out, payload):
    text = json.dumps(payload, indent=1, sort_keys=True)
    if out:
        with open(out, "w") as f:
            f.write(text)
    else:
        print(text)


def bulk_payload(i, now):
    scope_user = f"user-{i % 50}"
    created = (now - timedelta(seconds=i)).isoformat()
    text = f"bulk memory {i}: {topic_text(i)}"
    return {
        "data": text, "hash": hashlib.md5(text.encode()).hexdigest(), "text_lemmatized": text.lower(),
        "created_at": created, "updated_at": created, "user_id": scope_user, "role": "user",
        "topic": ["food", "travel", "work"][i % 3], "seq": i,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command")
    parser.add_argument("--path")
    parser.add_argument("--pgdata")
    parser.add_argument("--table", default="mem0")
    parser.add_argument("--collection", default="mem0")
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--out")
    parser.add_argument("--sql")
    args = parser.parse_args()

    if args.command == "chroma":
        os.makedirs(args.path, exist_ok=True)
        os.environ["MEM0_DIR"] = args.path
        memory = memory_for({"provider": "chroma", "config": {"collection_name": args.collection, "path": args.path}})
        deleted = seed_memory(memory, args.count)
        telemetry_and_entities_chroma(args.path, args.collection)
        live = chroma_read(args.path, args.collection)
        cross_check(memory, live)
        write(args.out, {"collection": args.collection, "live": live, "deleted": deleted})
    elif args.command == "pgvector":
        server = pg_server(args.pgdata)
        uri = server.get_uri()
        os.environ["MEM0_DIR"] = args.pgdata
        memory = memory_for(pg_vector_config(uri, args.table))
        deleted = seed_memory(memory, args.count)
        telemetry_and_entities_pg(uri, args.table)
        live = pg_read(uri, args.table)
        cross_check(memory, live)
        write(args.out, {"uri": uri, "collection": args.table, "live": live, "deleted": deleted})
    elif args.command == "pg-sql":
        import psycopg

        with psycopg.connect(pg_server(args.pgdata).get_uri(), autocommit=True) as conn:
            conn.execute(args.sql)
    elif args.command == "pg-start":
        print(pg_server(args.pgdata).get_uri())
    elif args.command == "pg-stop":
        # The handles above keep the server running (cleanup_mode=None); this one stops it.
        import pgserver

        pgserver.get_server(args.pgdata, cleanup_mode="stop").cleanup()
    elif args.command == "bulk-chroma":
        import chromadb
        from chromadb.config import Settings

        client = chromadb.PersistentClient(path=args.path, settings=Settings(anonymized_telemetry=False))
        col = client.get_or_create_collection(args.collection)
        emb = HashEmbedding()
        now = datetime.now(timezone.utc)
        step = 5000
        for start in range(0, args.count, step):
            n = range(start, min(start + step, args.count))
            col.add(ids=[str(uuid.UUID(int=i + 1)) for i in n], embeddings=[emb.embed(str(i)) for i in n],
                    metadatas=[bulk_payload(i, now) for i in n])
        print(col.count())
    elif args.command == "bulk-pgvector":
        import psycopg

        server = pg_server(args.pgdata)
        uri = server.get_uri()
        now = datetime.now(timezone.utc)
        with psycopg.connect(uri, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
            conn.execute(f"CREATE TABLE IF NOT EXISTS {args.table} (id UUID PRIMARY KEY, vector vector({DIMS}), payload JSONB)")
            emb = HashEmbedding()
            with conn.cursor() as cur:
                with cur.copy(f"COPY {args.table} (id, vector, payload) FROM STDIN") as copy:
                    for i in range(args.count):
                        copy.write_row((str(uuid.UUID(int=i + 1)), str(emb.embed(str(i))), json.dumps(bulk_payload(i, now))))
            print(conn.execute(f"SELECT count(*) FROM {args.table}").fetchone()[0])
        print(uri)
    else:
        raise SystemExit(f"unknown command {args.command}")


if __name__ == "__main__":
    main()
