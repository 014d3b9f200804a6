#!/usr/bin/env bash
# Issue 17 benchmark, run by hand: `bench/pacing/run.sh` from the package root (release build:
# `swift build -c release --product memport`, or BIN=path/to/memport).
#
# 1. The held rate: `memport import` with no --rate into `memport serve --rate-limit N/min
#    --latency-ms 20` at N = 600, 1000 and 3000, each run long enough to pass the warm-up. The
#    server's own counters (GET /_memport/stats) are read at $WARMUP s and at $WARMUP+$SPAN s:
#    admitted over the span against the limit, and the share of 429s in it.
# 2. Faults: an import and a migrate into `serve --latency-ms 20`, fault-free and through
#    `--fault-rate 0.2`, side by side: seconds, exit status, the ratio, peak RSS.
# Generated data stays in $WORK (outside the repository).
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${WORK:-/tmp/memport-bench-pacing}
WARMUP=${WARMUP:-10}
SPAN=${SPAN:-60}
CONCURRENCY=${CONCURRENCY:-32}
LIMITS=${LIMITS:-"600 1000 3000"}
BIN=${BIN:-$PWD/.build/release/memport}
rm -rf "$WORK" && mkdir -p "$WORK"

serve() { # db extra-args... -> sets URL and SERVE_PID (the server must be our child)
    local db=$1; shift
    rm -f "$WORK/serve.out"
    "$BIN" serve --db "$db" --port 0 --api-key bench-key --latency-ms 20 "$@" > "$WORK/serve.out" 2>>"$WORK/serve.err" &
    SERVE_PID=$!
    for _ in $(seq 100); do [ -s "$WORK/serve.out" ] && break; sleep 0.1; done
    URL=$(head -n 1 "$WORK/serve.out")
}
stop() { kill $SERVE_PID; wait $SERVE_PID 2>/dev/null || true; }
stats() { curl -s -H "Authorization: Token bench-key" "$URL/_memport/stats"; }
rss() { grep "Maximum resident" "$1" | awk '{print $6}'; }
chats() { # conversations messages path
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys
n, m, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
with open(path, "w") as f:
    for c in range(n):
        msgs = [{"role": "user", "content": f"conversation {c} message {i}: bench text {c * m + i}"} for i in range(m)]
        f.write(json.dumps({"id": f"c{c}", "messages": msgs}) + "\n")
PY
}

echo "== 1. held rate against serve --rate-limit (import, no --rate, concurrency $CONCURRENCY)"
for limit in $LIMITS; do
    # Enough units to outlast warm-up + span: the burst plus the limit for 1.5x the time.
    units=$(( limit + limit * (WARMUP + SPAN) * 3 / 2 / 60 ))
    chats "$units" 1 "$WORK/held-$limit.jsonl"
    serve "$WORK/held-$limit.db" --rate-limit "$limit/min"
    MEM0_API_KEY=bench-key "$BIN" import "$WORK/held-$limit.jsonl" --user-id bench --target "$URL" \
        --concurrency "$CONCURRENCY" --state-dir "$WORK/held-state-$limit" --progress none \
        --summary-json "$WORK/held-$limit.summary.json" > /dev/null 2>&1 &
    IMPORT_PID=$!
    sleep "$WARMUP"; a=$(stats)
    sleep "$SPAN"; b=$(stats)
    kill -INT $IMPORT_PID; wait $IMPORT_PID 2>/dev/null || true
    stop
    python3 - "$limit" "$SPAN" "$a" "$b" <<'PY'
import json, sys
limit, span = float(sys.argv[1]), float(sys.argv[2])
a, b = json.loads(sys.argv[3]), json.loads(sys.argv[4])
admitted = b["rate_limit_admitted"] - a["rate_limit_admitted"]
refused = b["rate_limited"] - a["rate_limited"]
held = admitted / span * 60
print(f"limit {int(limit)}/min: held {held:.0f}/min = {held / limit:.3f}x, 429s {refused} of {admitted + refused}"
      f" = {100 * refused / max(1, admitted + refused):.2f}% (after {sys.argv[2]} s span; warm-up 429s {a['rate_limited']})")
PY
done

echo "== 2. fault-free vs --fault-rate 0.2 (serve --latency-ms 20, concurrency $CONCURRENCY)"
chats 2000 5 "$WORK/faults.jsonl"
for faults in 0 0.2; do
    serve "$WORK/import-$faults.db" --fault-rate "$faults" --fault-seed 7
    start=$(date +%s.%N)
    set +e
    MEM0_API_KEY=bench-key /usr/bin/time -v "$BIN" import "$WORK/faults.jsonl" --user-id bench --target "$URL" \
        --concurrency "$CONCURRENCY" --state-dir "$WORK/import-state-$faults" --progress none \
        --summary-json "$WORK/import-$faults.summary.json" > /dev/null 2> "$WORK/import-$faults.time"
    status=$?
    set -e
    end=$(date +%s.%N)
    stop
    echo "import 2000 units (10000 messages), fault-rate $faults: seconds=$(echo "$end - $start" | bc) exit=$status" \
        "peak_rss_kb=$(rss "$WORK/import-$faults.time")" \
        "$(python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print('confirmed', s['confirmed'], 'retries', s['retries'], 'rate_limited', s.get('rate_limited'))" "$WORK/import-$faults.summary.json")"
done

# The migration's source: 1,430 memories in a fault-free server.
chats 1430 1 "$WORK/source.jsonl"
"$BIN" serve --db "$WORK/source.db" --port 0 --api-key src-key > "$WORK/source.out" 2>>"$WORK/serve.err" &
SOURCE_PID=$!
for _ in $(seq 100); do [ -s "$WORK/source.out" ] && break; sleep 0.1; done
SOURCE=$(head -n 1 "$WORK/source.out")
MEM0_API_KEY=src-key "$BIN" import "$WORK/source.jsonl" --user-id bench --target "$SOURCE" --state-dir "$WORK/source-state" \
    --progress none > /dev/null
for faults in 0 0.2; do
    serve "$WORK/migrate-$faults.db" --fault-rate "$faults" --fault-seed 7
    start=$(date +%s.%N)
    set +e
    SRC=src-key DST=bench-key /usr/bin/time -v "$BIN" migrate --from "$SOURCE" --to "$URL" --from-api-key-env SRC \
        --to-api-key-env DST --concurrency "$CONCURRENCY" --state-dir "$WORK/migrate-state-$faults" --progress none \
        --summary-json "$WORK/migrate-$faults.summary.json" > /dev/null 2> "$WORK/migrate-$faults.time"
    status=$?
    set -e
    end=$(date +%s.%N)
    stop
    echo "migrate 1430 memories, fault-rate $faults: seconds=$(echo "$end - $start" | bc) exit=$status" \
        "peak_rss_kb=$(rss "$WORK/migrate-$faults.time")" \
        "$(python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print('confirmed', s['confirmed'], 'retries', s['retries'])" "$WORK/migrate-$faults.summary.json")"
done
kill $SOURCE_PID; wait $SOURCE_PID 2>/dev/null || true
