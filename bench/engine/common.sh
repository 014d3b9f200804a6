# Shared by bench/engine/run.sh and compare.sh (sourced from the package root, after WORK is set):
# the mem0ai venv, the generated chat logs and a `memport serve` child with 20 ms of latency.
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

serve() { # server-binary db -> sets URL and SERVE_PID (no command substitution: the server must be our child)
    rm -f "$WORK/serve.out"
    "$1" serve --db "$2" --port 0 --api-key bench-key --latency-ms 20 > "$WORK/serve.out" 2>"$WORK/serve.err" &
    SERVE_PID=$!
    for _ in $(seq 100); do [ -s "$WORK/serve.out" ] && break; sleep 0.1; done
    URL=$(head -n 1 "$WORK/serve.out")
}
rss() { grep "Maximum resident" "$1" | awk '{print $6}'; }
