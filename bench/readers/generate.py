#!/usr/bin/env python3
"""Generates benchmark inputs for the readers: an OpenAI-messages NDJSON (gzipped) and a
single-line ChatGPT export, of a given uncompressed size. Deterministic (seeded).

usage: generate.py ndjson-gz OUT SIZE_MB | generate.py chatgpt OUT SIZE_MB
"""
import json
import random
import subprocess
import sys

WORDS = (
    "the a trip to lisbon vegetarian walking coffee tea garden basil balcony marathon october "
    "refund order shipping express sister weather oslo rain flat berlin kreuzberg bike startup "
    "counseling painting lake sunrise dinner lentil soup peanuts allergy morning run pace"
).split()


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def openai_record(rng, i):
    turns = [{"role": "system", "content": "You are a helpful assistant."}]
    for t in range(rng.randint(2, 8)):
        role = "user" if t % 2 == 0 else "assistant"
        turns.append({"role": role, "content": sentence(rng, rng.randint(8, 60))})
    return {"id": f"chat-{i}", "user_id": f"user-{i % 1000}", "messages": turns}


def chatgpt_conversation(rng, i):
    mapping = {"root": {"id": "root", "parent": None, "children": ["n0"], "message": None}}
    parent = "root"
    count = rng.randint(4, 24)
    for k in range(count):
        node = f"n{k}"
        role = "user" if k % 2 == 0 else "assistant"
        children = [f"n{k + 1}"] if k + 1 < count else []
        mapping[node] = {
            "id": node,
            "parent": parent,
            "children": children,
            "message": {
                "id": node,
                "author": {"role": role, "name": None, "metadata": {}},
                "create_time": 1714000000.5 + k,
                "update_time": None,
                "content": {"content_type": "text", "parts": [sentence(rng, rng.randint(8, 80))]},
                "status": "finished_successfully",
                "end_turn": True,
                "weight": 1.0,
                "metadata": {"model_slug": "gpt-4o", "request_id": f"req-{i}-{k}"},
                "recipient": "all",
            },
        }
        parent = node
    return {
        "id": f"conv-{i}",
        "title": sentence(rng, 4),
        "create_time": 1714000000.25,
        "update_time": 1714000600.5,
        "current_node": parent,
        "mapping": mapping,
        "moderation_results": [],
        "is_archived": False,
    }


def main():
    kind, out, size_mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
    target = int(size_mb * 1_000_000)
    rng = random.Random(42)
    written = 0
    i = 0
    if kind == "ndjson-gz":
        with open(out, "wb") as f:
            gz = subprocess.Popen(["gzip", "-3", "-c"], stdin=subprocess.PIPE, stdout=f)
            batch = []
            while written < target:
                line = (json.dumps(openai_record(rng, i)) + "\n").encode()
                batch.append(line)
                written += len(line)
                i += 1
                if len(batch) >= 1000:
                    gz.stdin.write(b"".join(batch))
                    batch = []
            gz.stdin.write(b"".join(batch))
            gz.stdin.close()
            gz.wait()
    elif kind == "chatgpt":
        with open(out, "wb") as f:
            f.write(b"[")
            while written < target:
                data = json.dumps(chatgpt_conversation(rng, i), separators=(",", ":")).encode()
                if i:
                    f.write(b",")
                f.write(data)
                written += len(data) + 1
                i += 1
            f.write(b"]")
    else:
        sys.exit(f"unknown kind {kind}")
    print(f"{out}: {i} records, {written} uncompressed bytes")


if __name__ == "__main__":
    main()
