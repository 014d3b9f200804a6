#!/usr/bin/env bash
# Issue 17 item 4, run by hand: adds end to end against `memport serve --latency-ms 20`, side by
# side in one run, each against a fresh server:
#   - mem0ai's MemoryClient.add from 10 threads (bench/engine/sdk_import.py pool),
#   - `memport import --concurrency 32 --rate 0`,
#   - wrk at 32 connections posting the same 5-message v3 adds with unique texts (adds.lua).
# Same data for the SDK and memport: CONVERSATIONS conversations of 5 messages (default 2,000).
# Peak RSS from /usr/bin/time -v. memport's rate is given on the whole process's wall time and on
# the job's own clock (its summary's elapsed_s), which like the SDK's timer leaves out start-up.
# With PROFILE=1, `perf record -g` samples the server and memport during memport's import and
# prints the top symbols of both.
#
#   BIN=path/to/memport bench/wire/run.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${WORK:-/tmp/memport-bench-wire}
CONVERSATIONS=${CONVERSATIONS:-2000}
WRK_SECONDS=${WRK_SECONDS:-8}
rounds=${1:-2}
rm -rf "$WORK" && mkdir -p "$WORK"
if [ -z "${BIN:-}" ]; then
    swift build -c release --product memport >/dev/null
    BIN="$PWD/.build/release/memport"
fi
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
VENV=${VENV:-.venv-conformance/2.2.1}
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV" && "$VENV/bin/pip" install --quiet "mem0ai==2.2.1"
fi
export MEM0_TELEMETRY=False HOME="$WORK/home" && mkdir -p "$HOME"

python3 - "$CONVERSATIONS" 5 "$WORK/chats.jsonl" <<'PY'
import json, sys
n, m, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
with open(path, "w") as f:
    for c in range(n):
        msgs = [{"role": "user" if i % 2 == 0 else "assistant", "content": f"conversation {c} message {i}: remember fact {c * m + i}"} for i in range(m)]
        f.write(json.dumps({"id": f"c{c}", "messages": msgs}) + "\n")
PY

serve() { # db -> sets URL and SERVE_PID
    rm -f "$WORK/serve.out"
    "$BIN" serve --db "$1" --port 0 --api-key bench-key --latency-ms 20 > "$WORK/serve.out" 2>"$WORK/serve.err" &
    SERVE_PID=$!
    for _ in $(seq 100); do [ -s "$WORK/serve.out" ] && break; sleep 0.1; done
    URL=$(head -n 1 "$WORK/serve.out")
}
stop() { kill $SERVE_PID; wait $SERVE_PID 2>/dev/null || true; }
rss() { grep "Maximum resident" "$1" | awk '{print $6}'; }
cpu() { awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.2f", u + s}' "$1"; }

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $CONVERSATIONS adds of 5 messages"
for r in $(seq "$rounds"); do
    serve "$WORK/sdk-$r.db"
    /usr/bin/time -v "$VENV/bin/python" bench/engine/sdk_import.py "$URL" bench-key "$WORK/chats.jsonl" pool 10 \
        > "$WORK/sdk.json" 2> "$WORK/sdk.time"
    stop
    sdk=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['seconds'])" "$WORK/sdk.json")

    serve "$WORK/memport-$r.db"
    [ "${PROFILE:-0}" = 1 ] && perf record -g -o "$WORK/serve-$r.perf" -p $SERVE_PID 2>/dev/null &
    start=$(date +%s.%N)
    if [ "${PROFILE:-0}" = 1 ]; then
        MEM0_API_KEY=bench-key perf record -g -o "$WORK/memport-$r.perf" "$BIN" import "$WORK/chats.jsonl" --user-id memport \
            --target "$URL" --concurrency 32 --rate 0 --state-dir "$WORK/state-$r" --progress none > /dev/null 2>&1
    else
        MEM0_API_KEY=bench-key /usr/bin/time -v "$BIN" import "$WORK/chats.jsonl" --user-id memport --target "$URL" \
            --concurrency 32 --rate 0 --state-dir "$WORK/state-$r" --progress none \
            --summary-json "$WORK/summary-$r.json" > /dev/null 2> "$WORK/memport.time"
    fi
    end=$(date +%s.%N)
    [ "${PROFILE:-0}" = 1 ] && { sleep 0.5; pkill -INT -f "perf record -g -o $WORK/serve-$r.perf" || true; sleep 1; }
    server_cpu=$(awk '{printf "%.2f", ($14 + $15) / 100}' /proc/$SERVE_PID/stat)
    stop
    memport=$(echo "$end - $start" | bc)

    serve "$WORK/wrk-$r.db"
    wrk_line=$(BENCH_KEY=bench-key wrk -t2 -c32 -d"${WRK_SECONDS}s" -s bench/wire/adds.lua "$URL" | grep '^wrk:')
    stop
    wrk_rate=$(sed -E 's/.*adds_per_s=([0-9.]+).*/\1/' <<<"$wrk_line")

    memport_rate=$(echo "scale=1; $CONVERSATIONS / $memport" | bc)
    # The job's own clock (the summary's elapsed_s: reading, ledger and calls, without the
    # process's start and exit), the span the SDK's timer covers (it starts after the client is
    # made and the file is loaded).
    job=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['elapsed_s'])" "$WORK/summary-$r.json" 2>/dev/null || echo "$memport")
    job_rate=$(echo "scale=1; $CONVERSATIONS / $job" | bc)
    sdk_rate=$(echo "scale=1; $CONVERSATIONS / $sdk" | bc)
    echo "round $r: sdk pool ${sdk_rate}/s (${sdk}s, peak $(rss "$WORK/sdk.time") KB)" \
        " memport ${memport_rate}/s (${memport}s$([ "${PROFILE:-0}" = 1 ] || echo ", cpu $(cpu "$WORK/memport.time")s, peak $(rss "$WORK/memport.time") KB"), server cpu ${server_cpu}s)" \
        " wrk ${wrk_rate}/s"
    echo "  memport/sdk $(echo "scale=2; $memport_rate / $sdk_rate" | bc)x  memport/wrk $(echo "scale=2; $memport_rate / $wrk_rate" | bc)x   [$wrk_line]"
    echo "  on the job's clock (${job}s, ${job_rate}/s): memport/sdk $(echo "scale=2; $job_rate / $sdk_rate" | bc)x  memport/wrk $(echo "scale=2; $job_rate / $wrk_rate" | bc)x"
done
if [ "${PROFILE:-0}" = 1 ]; then
    for side in memport serve; do
        echo "== top symbols, $side (self time)"
        perf report -i "$WORK/$side-1.perf" --no-children --sort symbol --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -40
    done
fi
