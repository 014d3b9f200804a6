"""The baseline of issue 15: what a user writes today to move a self-hosted Mem0 store to the
platform: read the store with its own Python client (Chroma's `collection.get`, psycopg's
`SELECT id, payload`), then one SDK `MemoryClient.add` per memory from 10 threads.

usage: python_baseline.py chroma PATH COLLECTION BASE_URL API_KEY [SAMPLE]
       python_baseline.py pgvector URI TABLE BASE_URL API_KEY [SAMPLE]
Reads every memory (timed), then adds the first SAMPLE of them (timed; all when 0) and prints
one JSON line: {"store", "memories", "read_seconds", "added", "add_seconds",
"extrapolated_seconds"} where the add time of a sample is extrapolated linearly to every memory.
"""
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from mem0 import MemoryClient

CORE = {"data", "hash", "created_at", "updated_at", "id", "text_lemmatized", "attributed_to", "user_id",
        "agent_id", "run_id", "actor_id", "role", "expiration_date"}


def read_chroma(path, collection):
    import chromadb
    from chromadb.config import Settings

    client = chromadb.PersistentClient(path=path, settings=Settings(anonymized_telemetry=False))
    col = client.get_collection(collection)
    out, offset, page = [], 0, 5000
    while True:
        got = col.get(include=["metadatas"], limit=page, offset=offset)
        out += list(zip(got["ids"], got["metadatas"]))
        if len(got["ids"]) < page:
            return out
        offset += page


def read_pg(uri, table):
    import psycopg

    with psycopg.connect(uri) as conn:
        return [(str(i), p) for i, p in conn.execute(f"SELECT id, payload FROM {table}")]


def main():
    store, where, collection, base, key = sys.argv[1:6]
    sample = int(sys.argv[6]) if len(sys.argv) > 6 else 0
    start = time.perf_counter()
    points = read_chroma(where, collection) if store == "chroma" else read_pg(where, collection)
    read_seconds = time.perf_counter() - start
    client = MemoryClient(api_key=key, host=base)

    def add(point):
        pid, p = point
        scope = {k: p[k] for k in ("user_id", "agent_id", "run_id") if p.get(k)}
        metadata = {k: v for k, v in p.items() if k not in CORE}
        metadata["source_id"] = pid
        client.add([{"role": "user", "content": p["data"]}], infer=False, metadata=metadata, **scope)

    todo = points[:sample] if sample else points
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(add, todo))
    add_seconds = time.perf_counter() - start
    total = read_seconds + add_seconds * len(points) / max(1, len(todo))
    print(json.dumps({
        "store": store, "memories": len(points), "read_seconds": round(read_seconds, 3), "added": len(todo),
        "add_seconds": round(add_seconds, 3), "extrapolated_seconds": round(total, 3),
    }))


if __name__ == "__main__":
    main()
