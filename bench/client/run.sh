#!/usr/bin/env bash
# The MemoryClient benchmark (issue 4): calls per second against `memport serve --latency-ms 20`
# at concurrency 1, 8 and 32 beside the ideal (concurrency / 20 ms), and the client's own CPU
# time per call against `--latency-ms 0`. Release builds; peak RSS from /usr/bin/time -v.
#
#   bench/client/run.sh [calls-per-worker]      (default 250)
set -euo pipefail
cd "$(dirname "$0")/../.."
per_worker="${1:-250}"

swift build -c release --product memport >/dev/null
swift build -c release --product memport-bench-client >/dev/null
bin=.build/release

. bench/scratch.sh

# start_server LATENCY_MS: starts a server in this shell (so cleanup can stop it) and sets $url.
start_server() {
    local latency=$1 out="$work/serve-$1.out"
    "$bin/memport" serve --db "$work/serve-$latency.db" --port 0 --api-key "$key" --latency-ms "$latency" >"$out" 2>/dev/null &
    pids+=($!)
    for _ in $(seq 1 100); do
        if [ -s "$out" ]; then url=$(head -n1 "$out"); return; fi
        sleep 0.1
    done
    echo "memport serve did not start" >&2
    exit 1
}

bench() {
    local latency=$1
    start_server "$latency"
    echo "### memport serve --latency-ms $latency"
    echo
    /usr/bin/time -v "$bin/memport-bench-client" --url "$url" --key "$key" --latency-ms "$latency" \
        --calls-per-worker "$per_worker" --concurrency 1,8,32 2>"$work/time-$latency.txt"
    echo
    echo "peak RSS of the benchmark process: $(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time-$latency.txt") KiB"
    echo
    kill "${pids[-1]}" 2>/dev/null || true
}

echo "machine: $(nproc) cores, $(uname -sr), load average $(cut -d" " -f1-3 /proc/loadavg); $(swift --version 2>/dev/null | head -n1)"
echo
bench 20
bench 0
