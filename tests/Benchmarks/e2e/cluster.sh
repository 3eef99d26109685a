#!/usr/bin/env bash
# cluster.sh - end-to-end benchmark of a SwarmMQ cluster on one machine, beside Debian mosquitto.
#
# Each node is held to its own CPU share (a cgroup v1 cpu quota, QUOTA % of one core; default 45,
# so three nodes and mqbench fit the two cores), so 1 node and 3 nodes compare at equal share per
# node. mosquitto gets the same share. Nothing is pinned: the quotas are the limit.
# PostgreSQL (Debian's) runs in OUT, started by this script. Every mqbench JSON result goes to
# OUT/results.jsonl, labelled; the table comes from mqbench's summarize.py.
#
# Scenarios (64 B payloads, QoS 1, 4 publishers x 4 subscribers, pair topics):
#   same    2 nodes, publishers and subscribers on node A             (--pub-port A --sub-port A)
#   cross   2 nodes, publishers on node A, subscribers on node B      (--pub-port A --sub-port B)
#   one     1 node, everything on it
#   three   3 nodes, every role spread round-robin                    (--port A,B,C)
#   mosquitto: the same load on one mosquitto (not a cluster; the single-node reference)
# CPU per delivered message = broker CPU seconds (all nodes, from /proc) / messages delivered.
#
# usage: cluster.sh [-d SECONDS] [-o OUTDIR] [-q QUOTA_PERCENT] [-s same,cross,one,three,mosquitto]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
MQBENCH_SRC=${MQBENCH_SRC:-$ROOT/../shared/tools/mqbench}
DUR=10 OUT=/tmp/swarmmq-cluster-bench QUOTA=45 SCEN=same,cross,one,three,mosquitto
while getopts "d:o:q:s:h" o; do
  case $o in
  d) DUR=$OPTARG ;; o) OUT=$OPTARG ;; q) QUOTA=$OPTARG ;; s) SCEN=$OPTARG ;;
  *) sed -n '2,18p' "$0"; exit 2 ;;
  esac
done
OUT=$(mkdir -p "$OUT" && cd "$OUT" && pwd)
: > "$OUT/results.jsonl"
gcc -O2 -std=gnu11 -o "$OUT/mqbench" "$MQBENCH_SRC/mqbench.c" -lm
JAR=${SWARMMQ_JAR:-$ROOT/src/Node/target/swarmmq.jar}
[[ -f $JAR ]] || (cd "$ROOT" && mvn -B -q -ntp -pl src/Node -am package -DskipTests)
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
CG=/sys/fs/cgroup/cpu
[[ -w $CG ]] || { echo "needs a writable cgroup v1 cpu controller at $CG (run as root)" >&2; exit 2; }
RUN_AS=(); [[ $EUID -eq 0 ]] && RUN_AS=(runuser -u postgres --)
PIDS=()

start_pg() {
  rm -rf "$OUT/pg" && mkdir -p "$OUT/pg"
  [[ $EUID -eq 0 ]] && chown postgres "$OUT/pg"
  "${RUN_AS[@]}" "$PGBIN/initdb" -D "$OUT/pg/data" -U swarmmq --auth=trust >"$OUT/pg.log" 2>&1
  "${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$OUT/pg/data" -l "$OUT/pg/server.log" -w \
    -o "-p 15432 -k $OUT/pg -c listen_addresses=127.0.0.1" start >>"$OUT/pg.log"
}
stop_pg() { "${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$OUT/pg/data" -m fast stop >>"$OUT/pg.log" 2>&1 || true; }
new_db() { # name
  "${RUN_AS[@]}" "$PGBIN/psql" -h 127.0.0.1 -p 15432 -U swarmmq -d postgres -qc "CREATE DATABASE $1" >/dev/null
}

start_nodes() { # count db
  local n=$1 db=$2 seeds="" i
  local base=$((25600 + 10 * n))
  for i in $(seq 0 $((n - 1))); do seeds+="${seeds:+,}pekko://swarmmq@127.0.0.1:$((base + i))"; done
  for i in $(seq 0 $((n - 1))); do
    mkdir -p "$CG/swarmmq-bench-$i"
    echo 100000 > "$CG/swarmmq-bench-$i/cpu.cfs_period_us"
    echo $((QUOTA * 1000)) > "$CG/swarmmq-bench-$i/cpu.cfs_quota_us"
    rm -rf "$OUT/$db-node-$i" && mkdir -p "$OUT/$db-node-$i"
    SWARMMQ_PORT=$((18860 + i)) SWARMMQ_BIND=127.0.0.1 SWARMMQ_DATA_DIR="$OUT/$db-node-$i" \
      SWARMMQ_CLUSTER_HOST=127.0.0.1 SWARMMQ_CLUSTER_PORT=$((base + i)) SWARMMQ_SEED_NODES="$seeds" \
      SWARMMQ_DB_URL="jdbc:postgresql://127.0.0.1:15432/$db" SWARMMQ_DB_USER=swarmmq SWARMMQ_DB_PASSWORD=x \
      java ${SWARMMQ_BENCH_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC} -jar "$JAR" \
      >"$OUT/$db-node-$i/broker.log" 2>&1 &
    PIDS+=($!)
    echo $! > "$CG/swarmmq-bench-$i/cgroup.procs"
  done
  for _ in $(seq 240); do
    local up=0
    # Up in a cluster of n AND listening for MQTT (the member line comes first)
    for i in $(seq 0 $((n - 1))); do
      grep -q "SwarmMQ cluster: $n members up" "$OUT/$db-node-$i/broker.log" \
        && grep -q "^SwarmMQ listening" "$OUT/$db-node-$i/broker.log" && up=$((up + 1))
    done
    ((up == n)) && return 0
    sleep 0.5
  done
  echo "the $n-node cluster did not come up; see $OUT/$db-node-*/broker.log" >&2
  exit 1
}
stop_nodes() {
  ((${#PIDS[@]})) && kill "${PIDS[@]}" 2>/dev/null && wait "${PIDS[@]}" 2>/dev/null || true
  PIDS=()
}
cleanup() { stop_nodes; stop_pg; for d in "$CG"/swarmmq-bench-*; do [[ -d $d ]] && rmdir "$d" 2>/dev/null; done; true; }
trap cleanup EXIT

run() { # label pids mqbench-args...
  local label=$1 pids=$2
  shift 2
  printf '%-16s ... ' "$label" >&2
  "$OUT/mqbench" throughput -P 4 -S 4 -q 1 -s 64 -d "$DUR" --settle 2 "$@" \
    --broker-pid "$pids" --json --label "$label" >>"$OUT/results.jsonl" || echo -n "(exit $?) " >&2
  tail -1 "$OUT/results.jsonl" | python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); print(r.get("deliver_rate"))' >&2
}
warm() { "$OUT/mqbench" throughput -P 2 -S 2 -q 1 -s 64 -d 5 "$@" --json >/dev/null 2>&1 || true; }
joined() { local IFS=,; echo "$*"; }

has() { [[ ",$SCEN," == *",$1,"* ]]; }
start_pg
if has same || has cross; then
  new_db bench2 && start_nodes 2 bench2
  warm --port 18860,18861
  has same && run swarmmq:same "$(joined "${PIDS[@]}")" --pub-port 18860 --sub-port 18860
  has cross && run swarmmq:cross "$(joined "${PIDS[@]}")" --pub-port 18860 --sub-port 18861
  stop_nodes
fi
if has one; then
  new_db bench1 && start_nodes 1 bench1
  warm --port 18860
  run swarmmq:one "${PIDS[0]}" --port 18860
  stop_nodes
fi
if has three; then
  new_db bench3 && start_nodes 3 bench3
  warm --port 18860,18861,18862
  run swarmmq:three "$(joined "${PIDS[@]}")" --port 18860,18861,18862
  stop_nodes
fi
if has mosquitto && command -v mosquitto >/dev/null; then
  mkdir -p "$CG/swarmmq-bench-0"
  printf 'listener 18860 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\nlog_type error\n' >"$OUT/mosquitto.conf"
  mosquitto -c "$OUT/mosquitto.conf" >"$OUT/mosquitto.log" 2>&1 &
  PIDS=($!)
  echo "${PIDS[0]}" > "$CG/swarmmq-bench-0/cgroup.procs"
  sleep 1
  run mosquitto:one "${PIDS[0]}" --port 18860
  stop_nodes
fi
python3 "$MQBENCH_SRC/summarize.py" "$OUT/results.jsonl"
python3 - "$OUT/results.jsonl" <<'EOF'
import json, sys
print("\nCPU per delivered message (broker CPU % x duration / delivered):")
for line in open(sys.argv[1]):
    r = json.loads(line)
    cpu = (r.get("broker") or {}).get("cpu_pct"); d = r.get("deliver_msgs"); t = r.get("measured_s")
    if cpu is None or not d or not t:
        print(f"  {r.get('label')}: fields missing"); continue
    print(f"  {r['label']:16} {r.get('deliver_rate', 0):>10.0f} msg/s   {cpu / 100 * t / d * 1e6:8.2f} us CPU per message")
EOF
