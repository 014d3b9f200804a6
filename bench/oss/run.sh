#!/usr/bin/env bash
# Issue 15 benchmark, run by hand: `bench/oss/run.sh` from the package root.
# 10,000 and 100,000 mem0 memories in Chroma (PersistentClient) and in PostgreSQL + pgvector
# (pgserver, Unix socket), in mem0's payload shape, seeded straight through the stores' own
# clients (chromadb `collection.add`, psycopg `COPY`), not through `Memory.add` (which embeds and
# writes one memory at a time), imported by `memport import STORE` into the embedded target and
# into a release-built `memport serve --latency-ms 20`, side by side with the Python baseline
# (python_baseline.py: the store read with its own client, then one MemoryClient.add per memory
# from 10 threads; SAMPLE=N times the first N adds and extrapolates, 0 = every memory).
# Peak RSS from /usr/bin/time -v.
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${WORK:-/dev/shm/memport-bench-oss}
SAMPLE=${SAMPLE:-0}
CONCURRENCY=${CONCURRENCY:-256}
SIZES=${SIZES:-"10000 100000"}
# The seeded stores are kept between runs (delete $WORK to seed again); everything else is redone.
mkdir -p "$WORK" && find "$WORK" -mindepth 1 -maxdepth 1 ! -name 'chroma-*' ! -name pgdata ! -name '*.seeded' \
    -exec rm -rf {} +
PY=$(scripts/oss-venv)
export MEM0_TELEMETRY=False HOME="$WORK/home" && mkdir -p "$HOME"
rss() { grep "Maximum resident" "$1" | awk '{print $6}'; }
secs() { grep "Elapsed (wall clock)" "$1" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'; }
serve() { # db -> URL, SERVE_PID
    rm -f "$WORK/serve.out"
    "$BIN" serve --db "$1" --port 0 --api-key bench-key --latency-ms 20 > "$WORK/serve.out" 2>"$WORK/serve.err" &
    SERVE_PID=$!
    for _ in $(seq 100); do [ -s "$WORK/serve.out" ] && break; sleep 0.1; done
    URL=$(head -n 1 "$WORK/serve.out")
}

PGDATA="$WORK/pgdata"
for n in $SIZES; do
    [ -f "$WORK/$n.seeded" ] && continue
    rm -rf "$WORK/chroma-$n"
    "$PY" scripts/oss/seed.py bulk-chroma --path "$WORK/chroma-$n" --count "$n" >/dev/null
    "$PY" scripts/oss/seed.py bulk-pgvector --pgdata "$PGDATA" --table "mem0_$n" --count "$n" >/dev/null
    touch "$WORK/$n.seeded"
done
[ -n "${SEED_ONLY:-}" ] && { "$PY" scripts/oss/seed.py pg-stop --pgdata "$PGDATA" || true; exit 0; }
# Seeded stores kept from an earlier run: their PostgreSQL server was stopped at its end.
"$PY" scripts/oss/seed.py pg-start --pgdata "$PGDATA" >/dev/null
PGURL="postgresql://postgres@/postgres?host=$PGDATA"
# BIN=PATH measures another build (say so in RESULTS); by default a release build of this tree.
if [ -z "${BIN:-}" ]; then
    nice -n 10 swift build -c release --product memport --scratch-path .build-release >/dev/null
    BIN="$PWD/.build-release/release/memport"
fi

for n in $SIZES; do
    for store in chroma pgvector; do
        if [ $store = chroma ]; then src="chroma:$WORK/chroma-$n"; else src="$PGURL&table=mem0_$n"; fi
        /usr/bin/time -v "$BIN" import "$src" --target "embedded:$WORK/emb-$store-$n.db" --state-dir "$WORK/st-e-$store-$n" \
            --progress none > /dev/null 2> "$WORK/e-$store-$n.time"
        echo "memport $store $n -> embedded: seconds=$(secs "$WORK/e-$store-$n.time") peak_rss_kb=$(rss "$WORK/e-$store-$n.time")"
        serve "$WORK/serve-$store-$n.db"
        MEM0_API_KEY=bench-key /usr/bin/time -v "$BIN" import "$src" --target "$URL" --concurrency "$CONCURRENCY" --rate 0 \
            --state-dir "$WORK/st-s-$store-$n" --progress none > /dev/null 2> "$WORK/s-$store-$n.time"
        kill $SERVE_PID; wait $SERVE_PID 2>/dev/null || true
        echo "memport $store $n -> serve --latency-ms 20 (concurrency $CONCURRENCY): seconds=$(secs "$WORK/s-$store-$n.time") peak_rss_kb=$(rss "$WORK/s-$store-$n.time")"
        serve "$WORK/py-$store-$n.db"
        if [ $store = chroma ]; then where="$WORK/chroma-$n"; coll=mem0; else where="postgresql://postgres@/postgres?host=$PGDATA"; coll="mem0_$n"; fi
        /usr/bin/time -v "$PY" bench/oss/python_baseline.py $store "$where" "$coll" "$URL" bench-key "$SAMPLE" \
            > "$WORK/py-$store-$n.json" 2> "$WORK/py-$store-$n.time"
        kill $SERVE_PID; wait $SERVE_PID 2>/dev/null || true
        echo "python $store $n -> serve --latency-ms 20: $(cat "$WORK/py-$store-$n.json") peak_rss_kb=$(rss "$WORK/py-$store-$n.time")"
    done
done
"$PY" scripts/oss/seed.py pg-stop --pgdata "$PGDATA" || true
