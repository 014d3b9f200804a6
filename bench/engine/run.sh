#!/usr/bin/env bash
# Issue 6 benchmark, run by hand: `bench/engine/run.sh` from the package root.
#  1. 10,000 messages in 2,000 conversations into `memport serve --latency-ms 20`, side by side:
#     mem0ai's MemoryClient.add in a loop, the same from 10 threads, and `memport import`.
#  2. 100,000 messages into the embedded target beside plain SQLite inserts (plain_insert.py):
#     the same rows into the store's schema, and one row per message into a one-table database.
# Peak RSS from /usr/bin/time. Generated data stays in $WORK (outside the repository).
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${WORK:-/tmp/memport-bench-engine}
rm -rf "$WORK" && mkdir -p "$WORK"
swift build -c release --product memport >/dev/null
BIN="$PWD/.build/release/memport"
VENV=${VENV:-.venv-conformance/2.2.1}
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV" && "$VENV/bin/pip" install --quiet "mem0ai==2.2.1"
fi
export MEM0_TELEMETRY=False HOME="$WORK/home" && mkdir -p "$HOME"

gen() { # conversations messages file
    python3 - "$@" <<'PY'
import json, sys
n, m, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
with open(path, "w") as f:
    for c in range(n):
        msgs = [{"role": "user", "content": f"conversation {c} message {i}: remember fact {c * m + i}"} for i in range(m)]
        f.write(json.dumps({"id": f"c{c}", "messages": msgs}) + "\n")
PY
}
gen 2000 5 "$WORK/chats-10k.jsonl"
gen 20000 5 "$WORK/chats-100k.jsonl"

serve() { # db -> sets URL and SERVE_PID (no command substitution: the server must be our child)
    rm -f "$WORK/serve.out"
    "$BIN" serve --db "$1" --port 0 --api-key bench-key --latency-ms 20 > "$WORK/serve.out" 2>"$WORK/serve.err" &
    SERVE_PID=$!
    for _ in $(seq 100); do [ -s "$WORK/serve.out" ] && break; sleep 0.1; done
    URL=$(head -n 1 "$WORK/serve.out")
}
rss() { grep "Maximum resident" "$1" | awk '{print $6}'; }

echo "== 10,000 messages / 2,000 conversations into memport serve --latency-ms 20"
for mode in loop pool; do
    serve "$WORK/$mode.db"
    url=$URL
    /usr/bin/time -v "$VENV/bin/python" bench/engine/sdk_import.py "$url" bench-key "$WORK/chats-10k.jsonl" $mode 10 \
        > "$WORK/$mode.json" 2> "$WORK/$mode.time"
    kill $SERVE_PID; wait $SERVE_PID 2>/dev/null || true
    echo "sdk $mode: $(cat "$WORK/$mode.json") peak_rss_kb=$(rss "$WORK/$mode.time")"
done
for c in 32 64; do
    serve "$WORK/memport-$c.db"
    url=$URL
    start=$(date +%s.%N)
    MEM0_API_KEY=bench-key /usr/bin/time -v "$BIN" import "$WORK/chats-10k.jsonl" --user-id memport --target "$url" \
        --concurrency $c --rate 0 --state-dir "$WORK/state-$c" --progress none > /dev/null 2> "$WORK/memport-$c.time"
    end=$(date +%s.%N)
    kill $SERVE_PID; wait $SERVE_PID 2>/dev/null || true
    echo "memport concurrency $c: seconds=$(echo "$end - $start" | bc) peak_rss_kb=$(rss "$WORK/memport-$c.time")"
done

echo "== 100,000 messages into the embedded target"
start=$(date +%s.%N)
/usr/bin/time -v "$BIN" import "$WORK/chats-100k.jsonl" --user-id memport --target "embedded:$WORK/embedded.db" \
    --state-dir "$WORK/state-embedded" --progress none > /dev/null 2> "$WORK/embedded.time"
end=$(date +%s.%N)
echo "memport embedded: seconds=$(echo "$end - $start" | bc) peak_rss_kb=$(rss "$WORK/embedded.time")"
# The baselines copy their schema from the store memport just wrote.
python3 bench/engine/plain_insert.py "$WORK/chats-100k.jsonl" "$WORK/plain" "$WORK/embedded.db"
