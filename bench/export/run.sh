#!/usr/bin/env bash
# The export benchmark (issue 7): memories exported per second by `memport export` over HTTP
# beside a Python loop paging get_all through the mem0ai SDK, over the same `memport serve`;
# and peak RSS of `memport export` of an embedded store of 1,000,000 memories.
# Release builds; peak RSS from /usr/bin/time -v. Stores are filled with SQL (sqlite3) after
# one add through memport, so the schema and project are memport's own.
#
#   bench/export/run.sh [http-memories] [embedded-memories]   (defaults 200000 and 1000000)
#
# MEMPORT_BENCH_CONFIG=debug runs the debug build instead (indicative only: a lower bound).
set -euo pipefail
cd "$(dirname "$0")/../.."
http_n="${1:-200000}"
big_n="${2:-1000000}"
users=1000

config="${MEMPORT_BENCH_CONFIG:-release}"
swift build -c "$config" --product memport >/dev/null
bin=$PWD/.build/$config/memport
venv=.venv-conformance/2.2.1
if ! "$venv/bin/python" -c "import mem0" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "mem0ai==2.2.1"
fi
export HOME="$PWD/.venv-conformance/home" MEM0_TELEMETRY=False
mkdir -p "$HOME"

. bench/scratch.sh

# fill DB COUNT: one add through memport (schema, project), then COUNT-1 rows over $users users.
fill() {
    local db=$1 n=$2
    printf '{"messages":[{"role":"user","content":"seed"}],"user_id":"user-0"}\n' >"$work/seed.jsonl"
    "$bin" import "$work/seed.jsonl" --preset openai --target "embedded:$db" --state-dir "$work/seed-state" \
        --progress none >/dev/null
    sqlite3 "$db" <<SQL
PRAGMA journal_mode=WAL;
BEGIN;
INSERT OR IGNORE INTO entities (project, type, name, created_at, updated_at)
WITH RECURSIVE u(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM u WHERE i + 1 < $users)
SELECT (SELECT id FROM projects LIMIT 1), 'user', 'user-' || i, 1600000000, 1600000000 FROM u;
INSERT INTO memories (id, project, memory, hash, user_id, metadata, created_at, updated_at)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n - 1)
SELECT lower(hex(randomblob(16))), (SELECT id FROM projects LIMIT 1),
    'bulk memory ' || i || ' with some text to make the row a realistic size for an export benchmark',
    lower(hex(randomblob(16))), 'user-' || (i % $users), '{"n":' || i || ',"source":"bulk"}',
    1600000000 + i, 1600000000 + i FROM n;
INSERT INTO memories_fts (rowid, memory) SELECT seq, memory FROM memories WHERE seq > 1;
COMMIT;
SQL
}

echo "machine: $(nproc) cores, $(uname -sr); $(swift --version 2>/dev/null | head -n1); $config build"
echo

fill "$work/http.db" "$http_n"
"$bin" serve --db "$work/http.db" --port 0 --api-key "$key" >"$work/serve.out" 2>/dev/null &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$work/serve.out" ] && break; sleep 0.1; done
url=$(head -n1 "$work/serve.out")

echo "### $http_n memories over $users users, over HTTP (memport serve, loopback)"
echo
start=$(date +%s.%N)
MEM0_API_KEY=$key /usr/bin/time -v "$bin" export --target "$url" --output "$work/memport.jsonl" \
    --state-dir "$work/state-http" 2>"$work/time-http.txt" >/dev/null
end=$(date +%s.%N)
m_rate=$(echo "$http_n / ($end - $start)" | bc -l)
printf 'memport export: %d memories in %.2f s = %.0f memories/s (peak RSS %s KiB)\n' "$(wc -l <"$work/memport.jsonl")" \
    "$(echo "$end - $start" | bc -l)" "$m_rate" "$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time-http.txt")"
py=$("$venv/bin/python" bench/export/get_all_loop.py "$url" "$key" "$work/python.jsonl" 2>"$work/python.err")
p_n=$(echo "$py" | sed -E 's/.*"memories": ([0-9]+).*/\1/')
p_s=$(echo "$py" | sed -E 's/.*"seconds": ([0-9.]+).*/\1/')
p_rate=$(echo "$p_n / $p_s" | bc -l)
printf 'mem0ai %s get_all loop: %d memories in %.2f s = %.0f memories/s\n' "2.2.1" "$p_n" "$p_s" "$p_rate"
printf 'ratio: %.2fx\n\n' "$(echo "$m_rate / $p_rate" | bc -l)"

echo "### $big_n memories, embedded store"
echo
fill "$work/big.db" "$big_n"
start=$(date +%s.%N)
/usr/bin/time -v "$bin" export --target "embedded:$work/big.db" --output "$work/big.jsonl.gz" --gzip \
    --state-dir "$work/state-big" 2>"$work/time-big.txt" >/dev/null
end=$(date +%s.%N)
printf 'memport export --gzip: %d memories in %.2f s = %.0f memories/s, peak RSS %s KiB\n' \
    "$(gzip -dc "$work/big.jsonl.gz" | wc -l)" "$(echo "$end - $start" | bc -l)" \
    "$(echo "$big_n / ($end - $start)" | bc -l)" "$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time-big.txt")"
