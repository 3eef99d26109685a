#!/usr/bin/env bash
# Connect rate of a warm node: broker on CPU 0, mqbench on CPU 1; four warm-up rounds of 3000
# clean-session connections (the JIT compiles the connect path), then ROUNDS measured rounds.
#   tests/Benchmarks/e2e/connect-rate.sh [ROUNDS] [PORT]
# Prints per round: connects/s and the median connect latency (us) at mqbench's 64 in parallel.
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROUNDS=${1:-4} PORT=${2:-18851}
MQBENCH=${MQBENCH:-/tmp/mqb/mqbench}
D=$(mktemp -d)
taskset -c 0 java -Xms1g -Xmx1g -XX:+UseParallelGC -jar src/Node/target/swarmmq.jar -p "$PORT" \
  --bind 127.0.0.1 --data "$D/data" >"$D/log" 2>&1 &
BP=$!
trap 'kill $BP 2>/dev/null || true; rm -rf "$D"' EXIT
for _ in $(seq 120); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.5; done
round() {
  taskset -c 1 "$MQBENCH" conn -C 3000 -d 1 --port "$PORT" --json 2>/dev/null | tail -1 | python3 -c \
    'import json,sys; d=json.load(sys.stdin); print("%.0f connects/s, p50 %.0f us" % (d["connect_rate"], d["connect_lat_us"]["p50"]))'
}
for _ in 1 2 3 4; do round >/dev/null; done
for _ in $(seq "$ROUNDS"); do round; done
