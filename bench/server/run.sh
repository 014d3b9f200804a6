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

start_server() {  # $1: name; a fresh database; sets url, time_pid, server_pid
    rm -f "$out/$1.db" "$out/$1.db-wal" "$out/$1.db-shm"
    start_server_keep "$1"
}

start_server_keep() {  # $1: name; keeps the database
    local name=$1
    rm -f "$out/$name.stdout"
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
    for _ in $(seq 1 100); do
        grep -q "Maximum resident" "$out/$1.time" 2>/dev/null && break
        sleep 0.05
    done
    awk -F: '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$out/$1.time"
}

echo "== adds: 8 keep-alive clients, 10 s"
start_server adds
python3 bench/server/load.py adds "$url" "$key" --clients 8 --seconds 10 | tee "$out/server-adds.json"
echo "peak RSS MiB: $(stop_server adds)"

for total in 10000 "$big"; do
    echo "== get_all pages with $total memories"
    start_server "pages-$total"
    if [ "$total" -le 100000 ]; then
        # Through HTTP: 1000-message v3 adds, 4 clients.
        python3 bench/server/load.py fill "$url" "$key" --total "$total" --hot 1000 --clients 4 \
            | tee "$out/server-fill-$total.json"
    else
        # Too many for HTTP on a shared machine: stop, bulk-load the store's tables, restart.
        stop_server "pages-$total" >/dev/null
        python3 bench/server/bulkfill.py "$out/pages-$total.db" "$total" | tee "$out/server-fill-$total.json"
        start_server_keep "pages-$total"
    fi
    python3 bench/server/load.py pages "$url" "$key" --repeat 200 | tee "$out/server-pages-$total.json"
    echo "peak RSS MiB: $(stop_server "pages-$total")"
    ls -l "$out/pages-$total.db" | awk '{printf "db bytes: %s\n", $5}'
done
