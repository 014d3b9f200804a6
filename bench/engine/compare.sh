#!/usr/bin/env bash
# Issue 12 benchmark, run by hand: the import engine before and after a change, side by side in
# one run. `BEFORE=/path/to/old/memport bench/engine/compare.sh` from the package root; the
# "after" binary is this tree's release build, or `AFTER=/path/to/memport`. Build the old one
# from a worktree of the commit to compare against
# (`git worktree add /tmp/before COMMIT && swift build -c release --product memport` there).
#
# Each round runs, back to back and alternating which binary goes first:
#  - 10,000 messages in 2,000 conversations into `memport serve --latency-ms 20` at concurrency 64
#    (the HTTP window), with mem0ai's MemoryClient.add from a pool of 10 threads as the baseline;
#  - 100,000 messages in 20,000 conversations into the embedded target (whole chunks applied).
# Peak RSS from /usr/bin/time. Generated data and databases stay in $WORK (tmpfs by default:
# this machine's disk varies by up to 40% between runs minutes apart).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${BEFORE:?set BEFORE to the memport binary to compare against}"
ROUNDS=${ROUNDS:-3}
WORK=${WORK:-/dev/shm/memport-bench-compare}
rm -rf "$WORK" && mkdir -p "$WORK"
if [ -z "${AFTER:-}" ]; then
    swift build -c release --product memport >/dev/null
    AFTER="$PWD/.build/release/memport"
fi
. bench/engine/common.sh
timed() { # name time-file command... -> prints "name seconds rss_kb"
    local name=$1 file=$2; shift 2
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -v "$@" > /dev/null 2> "$file"
    end=$(date +%s.%N)
    echo "$name $(echo "$end - $start" | bc) $(rss "$file")"
}

http() { # label binary
    serve "$AFTER" "$WORK/$1.db"
    MEM0_API_KEY=bench-key timed "http-$1" "$WORK/$1.time" "$2" import "$WORK/chats-10k.jsonl" --user-id memport \
        --target "$URL" --concurrency 64 --rate 0 --state-dir "$WORK/state-$1" --progress none
    kill $SERVE_PID; wait $SERVE_PID 2>/dev/null || true
    rm -rf "$WORK/$1.db"* "$WORK/state-$1"
}
embedded() { # label binary
    timed "embedded-$1" "$WORK/e-$1.time" "$2" import "$WORK/chats-100k.jsonl" --user-id memport \
        --target "embedded:$WORK/e-$1.db" --state-dir "$WORK/state-e-$1" --progress none
    rm -rf "$WORK/e-$1.db"* "$WORK/state-e-$1"
}

for round in $(seq "$ROUNDS"); do
    echo "== round $round"
    serve "$AFTER" "$WORK/pool.db"
    start=$(date +%s.%N)
    /usr/bin/time -v "$VENV/bin/python" bench/engine/sdk_import.py "$URL" bench-key "$WORK/chats-10k.jsonl" pool 10 \
        > /dev/null 2> "$WORK/pool.time"
    end=$(date +%s.%N)
    kill $SERVE_PID; wait $SERVE_PID 2>/dev/null || true
    rm -rf "$WORK/pool.db"*
    echo "http-sdk-pool $(echo "$end - $start" | bc) $(rss "$WORK/pool.time")"
    if [ $((round % 2)) -eq 1 ]; then order="before after"; else order="after before"; fi
    for side in $order; do
        bin=$BEFORE; [ "$side" = after ] && bin=$AFTER
        http "$side" "$bin"
    done
    for side in $order; do
        bin=$BEFORE; [ "$side" = after ] && bin=$AFTER
        embedded "$side" "$bin"
    done
done
