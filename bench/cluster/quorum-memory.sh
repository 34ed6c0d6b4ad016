#!/usr/bin/env bash
# How much memory a deep quorum queue costs each node of a 3-node Warren cluster: RSS (VmRSS from
# /proc) of every node before and after publishing MESSAGES persistent 1 KiB messages with confirms into
# a 3-member quorum queue that nobody consumes, and the queue's length as /api/queues reports it.
# Issue 12's target: 1,000,000 x 1 KiB add less than 200 MiB RSS per node. See bench/README.md.
# Everything it starts is stopped on exit.
#
# Environment (all optional): MESSAGES=1000000  WARREN_PORTS="5821 5822 5823"  SETTLE_SECONDS=10
set -Eeuo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
MESSAGES=${MESSAGES:-1000000}
SETTLE_SECONDS=${SETTLE_SECONDS:-10}
read -r -a PORTS <<< "${WARREN_PORTS:-5821 5822 5823}"
PERFTEST_LIB=$BENCH_DIR/perftest/target/lib
WORK=$(mktemp -d /tmp/warren-quorum-memory.XXXXXX)
PIDS=()

cleanup() {
  [ ${#PIDS[@]} -eq 0 ] || { kill "${PIDS[@]}" 2>/dev/null || true; wait "${PIDS[@]}" 2>/dev/null || true; }
  rm -rf "$WORK"
}
trap cleanup EXIT

port_open() { (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }
wait_port() { for _ in $(seq 1 240); do port_open "$1" && return 0; sleep 0.5; done; echo "port $1 never opened" >&2; return 1; }
rss_mib() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

[ -d "$PERFTEST_LIB" ] || mvn -B -q -f "$BENCH_DIR/perftest/pom.xml" package

peers=""
for i in 0 1 2; do peers+="${peers:+,}n$((i + 1))=127.0.0.1:$((PORTS[i] + 2000))"; done
for i in 0 1 2; do
  "$ROOT/bin/warren" --node-name "n$((i + 1))" --cluster-peers "$peers" --cluster-secret bench \
    --amqp-port "${PORTS[i]}" --http-port $((PORTS[i] + 10000)) --mqtt-port -1 --data-dir "$WORK/n$((i + 1))" \
    > "$WORK/n$((i + 1)).log" 2>&1 &
  PIDS+=($!)
done
for i in 0 1 2; do wait_port "${PORTS[i]}"; done
sleep "$SETTLE_SECONDS"
declare -a before
for i in 0 1 2; do before[i]=$(rss_mib "${PIDS[i]}"); done

start=$(date +%s)
java -cp "$PERFTEST_LIB/*" com.rabbitmq.perf.PerfTest -h "amqp://guest:guest@127.0.0.1:${PORTS[0]}" \
  --id quorum-memory -x 1 -y 0 -s 1024 -f persistent -c 1000 -C "$MESSAGES" \
  -u bench.quorum.deep -ad false --queue-args x-queue-type=quorum > "$WORK/perftest.out" 2>&1
secs=$(( $(date +%s) - start ))
sleep "$SETTLE_SECONDS"
depth=$(curl -s -u guest:guest "http://127.0.0.1:$((PORTS[0] + 10000))/api/queues/%2F/bench.quorum.deep" \
  | sed -n 's/.*"messages":\([0-9]*\).*/\1/p')

echo "published $MESSAGES x 1 KiB persistent with confirms in ${secs} s; queue length ${depth:-?}"
printf '%-5s %12s %12s %12s\n' node 'RSS before' 'RSS after' 'added (MiB)'
for i in 0 1 2; do
  after=$(rss_mib "${PIDS[i]}")
  printf '%-5s %12s %12s %12.1f\n' "n$((i + 1))" "${before[i]}" "$after" "$(echo "$after - ${before[i]}" | bc)"
done
