#!/usr/bin/env bash
# Benchmarks `memport serve` (release build) on loopback:
#   1. single-message adds per second from 8 concurrent keep-alive clients;
#   2. latency of a 100-memory get_all page with 10,000 and with 1,000,000 stored memories;
#   3. peak server RSS (/usr/bin/time -v) for each run.
# Usage: bench/server/run.sh [TOTAL_BIG]   (TOTAL_BIG defaults to 1000000)
# Output: bench/out/server-*.json and a summary on stdout; figures go into bench/RESULTS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/../.."
big=${1:-1000000}
out=bench/out
mkdir -p "$out"
swift build -c release --product memport >/dev/null
bin=.build/release/memport
key=bench-key

start_server() {  # $1: name; sets url, time_pid, server_pid
    local name=$1
    rm -f "$out/$name.db" "$out/$name.db-wal" "$out/$name.db-shm"
    /usr/bin/time -v -o "$out/$name.time" "$bin" serve --db "$out/$name.db" --port 0 --api-key "$key" \
        >"$out/$name.stdout" 2>"$out/$name.stderr" &
    time_pid=$!
    for _ in $(seq 1 200); do
        [ -s "$out/$name.stdout" ] && break
        sleep 0.05
    done
    url=$(head -n 1 "$out/$name.stdout")
    server_pid=$(pgrep -P "$time_pid")
}

stop_server() {  # $1: name; prints peak RSS in MiB
    kill -TERM "$server_pid"
    wait "$time_pid" || true
    awk -F: '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$out/$1.time"
}

echo "== adds: 8 keep-alive clients, 10 s"
start_server adds
python3 bench/server/load.py adds "$url" "$key" --clients 8 --seconds 10 | tee "$out/server-adds.json"
echo "peak RSS MiB: $(stop_server adds)"

for total in 10000 "$big"; do
    echo "== get_all pages with $total memories"
    start_server "pages-$total"
    python3 bench/server/load.py fill "$url" "$key" --total "$total" --hot 1000 --clients 4 | tee "$out/server-fill-$total.json"
    python3 bench/server/load.py pages "$url" "$key" --repeat 200 | tee "$out/server-pages-$total.json"
    echo "peak RSS MiB: $(stop_server "pages-$total")"
    ls -l "$out/pages-$total.db" | awk '{printf "db bytes: %s\n", $5}'
done
