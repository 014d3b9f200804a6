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

serve() { # db -> sets URL and SERVE_PID (the server must be our child, no command substitution)
    rm -f "$WORK/serve.out"
    "$AFTER" serve --db "$1" --port 0 --api-key bench-key --latency-ms 20 > "$WORK/serve.out" 2>"$WORK/serve.err" &
    SERVE_PID=$!
    for _ in $(seq 100); do [ -s "$WORK/serve.out" ] && break; sleep 0.1; done
    URL=$(head -n 1 "$WORK/serve.out")
}
rss() { grep "Maximum resident" "$1" | awk '{print $6}'; }
timed() { # name time-file command... -> prints "name seconds rss_kb"
    local name=$1 file=$2; shift 2
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -v "$@" > /dev/null 2> "$file"
    end=$(date +%s.%N)
    echo "$name $(echo "$end - $start" | bc) $(rss "$file")"
}

http() { # label binary
    serve "$WORK/$1.db"
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
    serve "$WORK/pool.db"
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
