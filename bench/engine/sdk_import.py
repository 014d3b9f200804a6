"""The baseline of issue 6: mem0ai's MemoryClient.add once per conversation, in a plain loop
(as Mem0's own migration script does) or from a pool of threads (as its LoCoMo ingester does).

usage: sdk_import.py BASE_URL API_KEY chats.jsonl loop|pool [threads]
Prints one JSON line: {"mode", "calls", "messages", "seconds"}.
"""
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from mem0 import MemoryClient


def main():
    base, key, path, mode = sys.argv[1:5]
    threads = int(sys.argv[5]) if len(sys.argv) > 5 else 10
    conversations = [json.loads(line) for line in open(path) if line.strip()]
    client = MemoryClient(api_key=key, host=base)

    def add(conv):
        client.add(conv["messages"], user_id="sdk-" + mode, infer=False)

    start = time.perf_counter()
    if mode == "loop":
        for conv in conversations:
            add(conv)
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(add, conversations))
    seconds = time.perf_counter() - start
    messages = sum(len(c["messages"]) for c in conversations)
    print(json.dumps({"mode": mode, "calls": len(conversations), "messages": messages, "seconds": round(seconds, 3)}))


if __name__ == "__main__":
    main()
