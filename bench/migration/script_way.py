"""The official migration script's way (scripts/oss-to-platform-migrate.sh, ecosystem doc §3.1-3.3):
load the whole artifact, then one mem0ai MemoryClient.add per record, sequentially, with the
script's payload (infer=False, the mem0_migration_* metadata, created_at as timestamp).

usage: script_way.py BASE_URL API_KEY artifact.json SAMPLE
Times the first SAMPLE records and prints one JSON line: {"records", "sampled", "seconds",
"per_record_ms", "extrapolated_seconds"}.
"""
import hashlib
import json
import sys
import time
from datetime import datetime

from mem0 import MemoryClient


def main():
    base, key, path, sample = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    artifact = json.load(open(path))  # the script holds the whole artifact in memory
    source = artifact.get("source") or {}
    records = artifact["records"]
    client = MemoryClient(api_key=key, host=base)
    start = time.perf_counter()
    for record in records[:sample]:
        key_text = f"{source.get('sdk') or 'unknown'}:{source.get('vector_store') or 'unknown'}:" \
                   f"{source.get('collection') or 'unknown'}:{record['id']}"
        metadata = {k: v for k, v in (record.get("metadata") or {}).items() if v is not None}
        metadata.update({
            "mem0_migration_source": record.get("source"), "mem0_migration_collection": source.get("collection"),
            "mem0_migration_local_id": record["id"], "mem0_migration_local_hash": record.get("hash"),
            "mem0_migration_import_key": hashlib.sha256(key_text.encode()).hexdigest(),
        })
        kwargs = {k: record[k] for k in ("user_id", "agent_id", "run_id") if record.get(k)}
        try:
            kwargs["timestamp"] = int(datetime.fromisoformat(record["created_at"]).timestamp())
        except Exception:
            pass
        client.add([{"role": "user", "content": record["memory"]}], metadata=metadata, infer=False, **kwargs)
    seconds = time.perf_counter() - start
    done = min(sample, len(records))
    print(json.dumps({
        "records": len(records), "sampled": done, "seconds": round(seconds, 3),
        "per_record_ms": round(1000 * seconds / done, 3),
        "extrapolated_seconds": round(seconds / done * len(records), 1),
    }))


if __name__ == "__main__":
    main()
