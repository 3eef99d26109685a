#!/usr/bin/env bash
# Live heap per idle MQTT connection, from class histograms (jcmd GC.class_histogram, which runs a
# full GC first) of a warm node: one warm-up round of N connections, then histograms before and
# while mqbench holds N idle clean-session connections.
#   tests/Benchmarks/e2e/heap-per-connection.sh [broker|floor] [N] [PORT]
#   broker: the SwarmMQ node (src/Node/target/swarmmq.jar)
#   floor:  IdleConnectionFloor, Pekko Streams TCP with no stage of ours (tests/Benchmarks)
# Needs mqbench (MQBENCH, default /tmp/mqb/mqbench; ../shared/tools/mqbench/build.sh) and a JDK's jcmd.
set -euo pipefail
cd "$(dirname "$0")/../../.."
WHAT=${1:-broker} N=${2:-3000} PORT=${3:-18850}
MQBENCH=${MQBENCH:-/tmp/mqb/mqbench}
JAR=src/Node/target/swarmmq.jar
D=$(mktemp -d)
if [[ $WHAT == floor ]]; then
  java -Xms1g -Xmx1g -XX:+UseParallelGC -cp tests/Benchmarks/target/classes:$JAR \
    org.swarmmq.bench.IdleConnectionFloor "$PORT" >"$D/log" 2>&1 &
else
  java -Xms1g -Xmx1g -XX:+UseParallelGC -jar $JAR -p "$PORT" --bind 127.0.0.1 --data "$D/data" >"$D/log" 2>&1 &
fi
BP=$!
trap 'kill $BP 2>/dev/null || true' EXIT
for _ in $(seq 120); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.5; done
"$MQBENCH" conn -C "$N" -d 2 --port "$PORT" --json >/dev/null 2>&1 # warm-up round
sleep 2
jcmd $BP GC.class_histogram >"$D/before.txt"
"$MQBENCH" conn -C "$N" -d 25 --port "$PORT" --ready-file "$D/up" --json >"$D/conn.json" 2>&1 &
MP=$!
for _ in $(seq 200); do [[ -f $D/up ]] && break; sleep 0.2; done
sleep 3
jcmd $BP GC.class_histogram >"$D/during.txt"
before=$(awk '/^Total/ {print $3}' "$D/before.txt")
during=$(awk '/^Total/ {print $3}' "$D/during.txt")
wait $MP || true
echo "$WHAT: $(( (during - before) / N )) bytes of live heap per idle connection ($N connections; histograms in $D)"
