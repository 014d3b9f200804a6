#!/usr/bin/env python3
"""The baseline: parses the same file with Python's standard json module and does the same
minimal mapping walk (NDJSON: every line's messages; ChatGPT: the active branch of every
conversation). Prints records, messages and uncompressed bytes.

usage: parse_python.py ndjson-gz FILE | parse_python.py chatgpt FILE
"""
import gzip
import json
import sys


def main():
    kind, path = sys.argv[1], sys.argv[2]
    records = messages = size = 0
    if kind == "ndjson-gz":
        with gzip.open(path, "rb") as f:
            for line in f:
                size += len(line)
                if not line.strip():
                    continue
                record = json.loads(line)
                records += 1
                messages += sum(1 for m in record["messages"] if m["role"] in ("user", "assistant"))
    else:
        with open(path, "rb") as f:
            data = f.read()
        size = len(data)
        conversations = json.loads(data)
        del data
        for conversation in conversations:
            records += 1
            mapping = conversation["mapping"]
            node = conversation.get("current_node")
            while node is not None and node in mapping:
                entry = mapping[node]
                if entry.get("message") and entry["message"]["author"]["role"] in ("user", "assistant"):
                    messages += 1
                node = entry.get("parent")
    print(f"records={records} messages={messages} bytes={size}")


if __name__ == "__main__":
    main()
