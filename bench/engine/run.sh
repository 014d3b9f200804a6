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
. bench/engine/common.sh

echo "== 10,000 messages / 2,000 conversations into memport serve --latency-ms 20"
for mode in loop pool; do
    serve "$BIN" "$WORK/$mode.db"
    url=$URL
    /usr/bin/time -v "$VENV/bin/python" bench/engine/sdk_import.py "$url" bench-key "$WORK/chats-10k.jsonl" $mode 10 \
        > "$WORK/$mode.json" 2> "$WORK/$mode.time"
    kill $SERVE_PID; wait $SERVE_PID 2>/dev/null || true
    echo "sdk $mode: $(cat "$WORK/$mode.json") peak_rss_kb=$(rss "$WORK/$mode.time")"
done
for c in 32 64; do
    serve "$BIN" "$WORK/memport-$c.db"
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
