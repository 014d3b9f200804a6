#!/usr/bin/env bash
# Read-and-map throughput and peak RSS of `memport import --dry-run` beside Python's json
# module, on a 1 GB NDJSON.gz of OpenAI messages and a 500 MB single-line ChatGPT export, plus
# 10 MB versions of both to show that memport's RSS does not grow with input size.
#
# usage: bench/readers/run.sh [WORKDIR]   (default: $TMPDIR/memport-bench-readers, outside the repo)
# env:   NDJSON_MB (default 1000), CHATGPT_MB (default 500), SMALL_MB (default 10);
#        MEMPORT_BIN: a memport binary to measure instead of building this checkout's release one;
#        BEFORE_BIN: an earlier memport binary measured beside it ("before" rows), as a baseline
set -euo pipefail
cd "$(dirname "$0")/../.."
work="${1:-${TMPDIR:-/tmp}/memport-bench-readers}"
mkdir -p "$work"
ndjson_mb="${NDJSON_MB:-1000}"
chatgpt_mb="${CHATGPT_MB:-500}"
small_mb="${SMALL_MB:-10}"

if [ -n "${MEMPORT_BIN:-}" ]; then
    bin="$MEMPORT_BIN"
else
    swift build -c release --product memport >/dev/null
    bin="$(swift build -c release --show-bin-path)/memport"
fi
before="${BEFORE_BIN:-}"

gen() {  # kind file size_mb
    [ -s "$2" ] || python3 bench/readers/generate.py "$1" "$2" "$3"
}
gen ndjson-gz "$work/openai-${ndjson_mb}mb.jsonl.gz" "$ndjson_mb"
gen ndjson-gz "$work/openai-${small_mb}mb.jsonl.gz" "$small_mb"
gen chatgpt "$work/chatgpt-${chatgpt_mb}mb.json" "$chatgpt_mb"
gen chatgpt "$work/chatgpt-${small_mb}mb.json" "$small_mb"

measure() {  # label bytes command...
    local label="$1" bytes="$2"
    shift 2
    local log
    log="$(mktemp)"
    /usr/bin/time -v "$@" >/dev/null 2>"$log"
    local secs rss cpu
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
    cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {print s}' "$log")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$log")
    awk -v l="$label" -v b="$bytes" -v s="$secs" -v c="$cpu" -v r="$rss" \
        'BEGIN {printf "%-32s %7.1f MB  wall %6.2f s %6.1f MB/s  cpu %6.2f s %6.1f MB/s  peak RSS %7.1f MB\n", l, b/1e6, s, b/1e6/s, c, b/1e6/c, r}'
    rm -f "$log"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
uncompressed() { if [[ "$1" == *.gz ]]; then gzip -dc "$1" | wc -c; else wc -c <"$1"; fi; }

for f in "openai-${small_mb}mb.jsonl.gz" "openai-${ndjson_mb}mb.jsonl.gz"; do
    path="$work/$f"
    bytes=$(uncompressed "$path")
    measure "memport $f" "$bytes" "$bin" import "$path" --dry-run --show 0
    [ -z "$before" ] || measure "before  $f" "$bytes" "$before" import "$path" --dry-run --show 0
    measure "memport -w2 $f" "$bytes" "$bin" import "$path" --dry-run --show 0 --workers 2
    measure "python  $f" "$bytes" python3 bench/readers/parse_python.py ndjson-gz "$path"
done
for f in "chatgpt-${small_mb}mb.json" "chatgpt-${chatgpt_mb}mb.json"; do
    path="$work/$f"
    bytes=$(uncompressed "$path")
    measure "memport $f" "$bytes" "$bin" import "$path" --dry-run --show 0 --user-id bench
    [ -z "$before" ] || measure "before  $f" "$bytes" "$before" import "$path" --dry-run --show 0 --user-id bench
    measure "memport -w2 $f" "$bytes" "$bin" import "$path" --dry-run --show 0 --user-id bench --workers 2
    measure "python  $f" "$bytes" python3 bench/readers/parse_python.py chatgpt "$path"
done
