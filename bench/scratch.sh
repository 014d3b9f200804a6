# Sourced by the benchmark scripts: a scratch directory $work, a random API key $key, and the
# pids in $pids (servers started in the calling shell) stopped and the directory removed on exit.
work=$(mktemp -d)
key="m0-bench-$RANDOM$RANDOM"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
