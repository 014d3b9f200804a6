"""Writes an artifact of the official OSS-to-Platform migration (`kind: mem0_oss_qdrant_export`,
ecosystem doc §3.2) with N records over 100 users.

usage: generate.py N out.json
"""
import hashlib
import json
import sys
import uuid


def main():
    n, path = int(sys.argv[1]), sys.argv[2]
    with open(path, "w") as f:
        f.write(json.dumps({
            "version": 1, "kind": "mem0_oss_qdrant_export", "exported_at": "2026-05-08T10:00:00.123456Z",
            "source": {"sdk": "python", "vector_store": "qdrant", "storage": "hosted", "collection": "mem0",
                       "url": "http://localhost:6333", "filters": {"user_id": None, "agent_id": None,
                                                                   "run_id": None, "all": True}},
            "local_anonymous_id": "bench", "anonymous_ids": {"oss": "bench", "cli": None}, "record_count": n,
        })[:-1])
        f.write(', "records": [\n')
        for i in range(n):
            text = f"user fact {i}: prefers option {i % 97} on day {i % 31}"
            user = f"user-{i % 100}"
            record = {
                "id": str(uuid.UUID(int=i + 1)), "memory": text, "hash": hashlib.md5(text.encode()).hexdigest(),
                "created_at": f"2026-01-{1 + i % 28:02d}T10:00:00.000000+00:00",
                "updated_at": f"2026-01-{1 + i % 28:02d}T10:00:00.000000+00:00", "source": "python_oss_qdrant",
                "source_payload": {"data": text, "user_id": user, "topic": f"t{i % 7}"},
                "user_id": user, "role": "user", "metadata": {"topic": f"t{i % 7}"},
            }
            f.write(("," if i else "") + json.dumps(record) + "\n")
        f.write("]}\n")


if __name__ == "__main__":
    main()
