#!/usr/bin/env bash
# Issue 14 benchmark, run by hand: `bench/migration/run.sh` from the package root.
# Records of the official OSS-to-Platform migration artifact into `memport serve --latency-ms 20`
# (release build), side by side in one run: the official script's way (one mem0ai SDK
# MemoryClient.add per record, sequentially; a timed sample of $SAMPLE records, extrapolated) and
# `memport import` (preset mem0-migration, detected) at 10,000 and 100,000 records, with peak RSS.
# Generated data stays in $WORK (outside the repository).
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${WORK:-/tmp/memport-bench-migration}
SAMPLE=${SAMPLE:-2000}
CONCURRENCY=${CONCURRENCY:-64}
rm -rf "$WORK" && mkdir -p "$WORK"
# A release build: `swift build -c release --product memport` (or BIN=path/to/memport).
BIN=${BIN:-$PWD/.build/release/memport}
VENV=${VENV:-.venv-conformance/2.2.1}
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import mem0" 2>/dev/null; then
    python3 -m venv "$VENV" && "$VENV/bin/pip" install --quiet "mem0ai==2.2.1"
fi
export MEM0_TELEMETRY=False HOME="$WORK/home" && mkdir -p "$HOME"

python3 bench/migration/generate.py 10000 "$WORK/artifact-10k.json"
python3 bench/migration/generate.py 100000 "$WORK/artifact-100k.json"

serve() { # db -> sets URL and SERVE_PID (no command substitution: the server must be our child)
    rm -f "$WORK/serve.out"
    "$BIN" serve --db "$1" --port 0 --api-key bench-key --latency-ms 20 > "$WORK/serve.out" 2>"$WORK/serve.err" &
    SERVE_PID=$!
    for _ in $(seq 100); do [ -s "$WORK/serve.out" ] && break; sleep 0.1; done
    URL=$(head -n 1 "$WORK/serve.out")
}
rss() { grep "Maximum resident" "$1" | awk '{print $6}'; }

echo "== the official script's way: one SDK add per record, sequentially ($SAMPLE of 100,000 timed)"
serve "$WORK/script.db"
/usr/bin/time -v "$VENV/bin/python" bench/migration/script_way.py "$URL" bench-key "$WORK/artifact-100k.json" "$SAMPLE" \
    > "$WORK/script.json" 2> "$WORK/script.time"
kill $SERVE_PID; wait $SERVE_PID 2>/dev/null || true
echo "script way: $(cat "$WORK/script.json") peak_rss_kb=$(rss "$WORK/script.time")"

for n in 10k 100k; do
    serve "$WORK/memport-$n.db"
    start=$(date +%s.%N)
    MEM0_API_KEY=bench-key /usr/bin/time -v "$BIN" import "$WORK/artifact-$n.json" --target "$URL" \
        --concurrency "$CONCURRENCY" --rate 0 --state-dir "$WORK/state-$n" --progress none \
        --summary-json "$WORK/memport-$n.summary.json" > /dev/null 2> "$WORK/memport-$n.time"
    end=$(date +%s.%N)
    # A second run from a fresh state directory: the pre-scan finds every key, nothing is sent.
    start2=$(date +%s.%N)
    MEM0_API_KEY=bench-key "$BIN" import "$WORK/artifact-$n.json" --target "$URL" --concurrency "$CONCURRENCY" \
        --rate 0 --state-dir "$WORK/state-$n-again" --progress none --summary-json "$WORK/memport-$n.again.json" \
        > /dev/null 2>&1
    end2=$(date +%s.%N)
    kill $SERVE_PID; wait $SERVE_PID 2>/dev/null || true
    echo "memport $n: seconds=$(echo "$end - $start" | bc) peak_rss_kb=$(rss "$WORK/memport-$n.time")" \
        "$(python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print('confirmed', s.get('confirmed'), 'rejects', s.get('rejects'))" "$WORK/memport-$n.summary.json")"
    echo "memport $n again (fresh state): seconds=$(echo "$end2 - $start2" | bc)" \
        "$(python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print('confirmed', s.get('confirmed'), 'skipped_existing', s.get('skipped_existing'))" "$WORK/memport-$n.again.json")"
done
