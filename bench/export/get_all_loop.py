"""The baseline of the export benchmark: a Python loop paging get_all through the mem0ai SDK.

Lists the entities, then pages every user with get_all(filters={"user_id": ...}, page, page_size=200)
and writes each memory as one JSON line, as a user would dump a project with the SDK.

    python get_all_loop.py URL KEY OUT
"""

import json
import sys
import time

from mem0 import MemoryClient


def main() -> None:
    url, key, out = sys.argv[1], sys.argv[2], sys.argv[3]
    client = MemoryClient(api_key=key, host=url)
    started = time.monotonic()
    users = [e["name"] for e in client.users()["results"] if e.get("type") == "user"]
    written = 0
    with open(out, "w", encoding="utf-8") as f:
        for user in users:
            page = 1
            while True:
                try:
                    body = client.get_all(filters={"user_id": user}, page=page, page_size=200)
                except Exception:  # past the last page: "Invalid page."
                    break
                results = body["results"] if isinstance(body, dict) else body
                for memory in results:
                    f.write(json.dumps(memory) + "\n")
                written += len(results)
                if len(results) < 200:
                    break
                page += 1
    elapsed = time.monotonic() - started
    print(json.dumps({"memories": written, "seconds": round(elapsed, 3)}))


if __name__ == "__main__":
    main()
