#!/usr/bin/env bash
# compare.sh - end-to-end benchmark: SwarmMQ beside Debian mosquitto, same scenarios, same run.
#
# Each broker runs pinned to CPU 0 and mqbench (../shared/tools/mqbench) to CPU 1, one broker at
# a time, on loopback. Every mqbench JSON result goes to OUT/results.jsonl with the label
# "<broker>:<scenario>"; the table of medians comes from mqbench's summarize.py.
#
# usage: compare.sh [-n RUNS] [-d SECONDS] [-o OUTDIR] [-s SCENARIOS] [-b BROKERS]
#   SCENARIOS: comma list of q0_1x1,q1_1x1,q0_8x8,q1_8x8,fanout1000,lat_q0,lat_q1,conn10k (default all)
#   BROKERS:   comma list of mosquitto,swarmmq (default both)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
MQBENCH_SRC=${MQBENCH_SRC:-$ROOT/../shared/tools/mqbench}
RUNS=1 DUR=10 OUT=/tmp/swarmmq-bench SCEN="q0_1x1,q1_1x1,q0_8x8,q1_8x8,fanout1000,lat_q0,lat_q1,conn10k"
BROKERS="mosquitto,swarmmq"
while getopts "n:d:o:s:b:h" o; do
  case $o in
  n) RUNS=$OPTARG ;; d) DUR=$OPTARG ;; o) OUT=$OPTARG ;; s) SCEN=$OPTARG ;; b) BROKERS=$OPTARG ;;
  *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
done
mkdir -p "$OUT"
: > "$OUT/results.jsonl"
command -v mosquitto >/dev/null || { echo "mosquitto missing: apt-get install mosquitto" >&2; exit 2; }
gcc -O2 -std=gnu11 -o "$OUT/mqbench" "$MQBENCH_SRC/mqbench.c" -lm
JAR=${SWARMMQ_JAR:-$ROOT/src/Node/target/swarmmq.jar}
[[ -f $JAR ]] || (cd "$ROOT" && mvn -B -q -ntp -pl src/Node -am package -DskipTests)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
PORT=18850
BPID=""

start_broker() { # name
  case $1 in
  mosquitto)
    printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\nlog_type error\n' \
      "$PORT" > "$OUT/mosquitto.conf"
    taskset -c 0 mosquitto -c "$OUT/mosquitto.conf" >>"$OUT/mosquitto.log" 2>&1 &
    ;;
  swarmmq)
    rm -rf "$OUT/swarmmq-data"
    taskset -c 0 java ${SWARMMQ_BENCH_JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseParallelGC} -jar "$JAR" \
      -p "$PORT" --bind 127.0.0.1 --data "$OUT/swarmmq-data" >>"$OUT/swarmmq.log" 2>&1 &
    ;;
  esac
  BPID=$!
  for _ in $(seq 120); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "$1 did not start on port $PORT" >&2
  exit 1
}
stop_broker() {
  [[ -n $BPID ]] && kill "$BPID" 2>/dev/null && wait "$BPID" 2>/dev/null || true
  BPID=""
}
trap stop_broker EXIT

run() { # broker scenario mqbench-args...
  local broker=$1 name=$2
  shift 2
  for i in $(seq "$RUNS"); do
    printf '%-9s %-11s run %d ... ' "$broker" "$name" "$i" >&2
    taskset -c 1 "$OUT/mqbench" "$@" --port "$PORT" --broker-pid "$BPID" --json \
      --label "$broker:$name" >>"$OUT/results.jsonl" || echo -n "(exit $?) " >&2
    tail -1 "$OUT/results.jsonl" | python3 -c \
      'import json,sys; r=json.loads(sys.stdin.read()); print(r.get("deliver_rate", r.get("connect_rate")))' >&2
  done
}
has() { [[ ",$SCEN," == *",$1,"* ]]; }

for broker in ${BROKERS//,/ }; do
  start_broker "$broker"
  # one short unmeasured run so the JVM has compiled the hot path before the first figure
  [[ $broker == swarmmq ]] && "$OUT/mqbench" throughput -P 2 -S 2 -q 1 -s 64 -d 5 --port "$PORT" --json >/dev/null 2>&1 || true
  has q0_1x1 && run "$broker" q0_1x1 throughput -P 1 -S 1 -q 0 -s 64 -d "$DUR"
  has q1_1x1 && run "$broker" q1_1x1 throughput -P 1 -S 1 -q 1 -s 64 -d "$DUR"
  has q0_8x8 && run "$broker" q0_8x8 throughput -P 8 -S 8 -q 0 -s 64 -d "$DUR"
  has q1_8x8 && run "$broker" q1_8x8 throughput -P 8 -S 8 -q 1 -s 64 -d "$DUR"
  has fanout1000 && run "$broker" fanout1000 fanout -S 1000 -q 0 -s 64 -d "$DUR"
  has lat_q0 && run "$broker" lat_q0 throughput -P 1 -S 1 -q 0 -s 64 --rate 10000 -d "$DUR"
  has lat_q1 && run "$broker" lat_q1 throughput -P 1 -S 1 -q 1 -s 64 --rate 10000 -d "$DUR"
  stop_broker
  if has conn10k; then # a fresh broker so that "RSS before" is a clean baseline
    start_broker "$broker"
    sleep 1
    run "$broker" conn10k conn -C 10000 -d 5
    stop_broker
  fi
done
python3 "$MQBENCH_SRC/summarize.py" "$OUT/results.jsonl"
