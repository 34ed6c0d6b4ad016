# Shared by the bench/cluster/*-compare.sh scripts (sourced, not run): starts and stops a 3-node Warren cluster
# and a 3-node RabbitMQ 3.10 cluster, and reads the nodes' CPU time from /proc.
#
# The sourcing script sets WORK (a scratch directory it removes) and calls `stop_cluster` from its EXIT trap.
# After start_warren / start_rabbitmq, PIDS holds the three nodes' OS pids (Warren's JVMs, RabbitMQ's beam.smp).
#
# Environment (all optional):
#   WARREN_PORTS="5811 5812 5813"   AMQP ports of n1-n3; each node's Raft port is AMQP + 2000 and its cluster
#                                   data port (node-to-node links) Raft + 10000, i.e. AMQP + 12000
#   RABBIT_PORTS="5741 5742 5743"   AMQP ports of the RabbitMQ nodes (Erlang distribution: + 20000)
#   RABBIT_NODE_SH   the private-node script (default ../shared/tools/rabbitmq-node.sh beside the checkout)
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
read -r -a WARREN_PORTS <<< "${WARREN_PORTS:-5811 5812 5813}"
read -r -a RABBIT_PORTS <<< "${RABBIT_PORTS:-5741 5742 5743}"
RABBIT_NODE_SH=${RABBIT_NODE_SH:-$ROOT/../shared/tools/rabbitmq-node.sh}
PERFTEST_LIB=$BENCH_DIR/perftest/target/lib
CLK_TCK=$(getconf CLK_TCK)
PIDS=(); STOP=""

port_open() { (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }
wait_port() { for _ in $(seq 1 240); do port_open "$1" && return 0; sleep 0.5; done; echo "port $1 never opened" >&2; return 1; }
# ticks PID...: utime+stime of the processes (all their threads), in clock ticks (CLK_TCK per second)
ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done; echo "$t"; }

# follow_window BROKER CLIENT_PID CSV OUT: follows the per-second CSV of a PerfTest run (pid CLIENT_PID, its output in
# OUT) until it ends, and sets WINDOW_TICKS to the nodes' CPU ticks between the row that ends the warm-up (WARMUP) and
# the one that ends the measured window (WARMUP + SECONDS_MEASURED), so CPU time and message counts cover one window.
follow_window() {
  local broker=$1 client=$2 csv=$3 out=$4 rows c0="" c1=""
  while kill -0 "$client" 2>/dev/null; do
    rows=$(($(wc -l < "$csv") - 1))
    if [ -z "$c0" ] && [ "$rows" -ge "$WARMUP" ]; then c0=$(ticks "${PIDS[@]}"); fi
    if [ -n "$c0" ] && [ -z "$c1" ] && [ "$rows" -ge $((WARMUP + SECONDS_MEASURED)) ]; then c1=$(ticks "${PIDS[@]}"); fi
    sleep 0.05
  done
  wait "$client" || { echo "$broker: PerfTest failed:" >&2; tail -5 "$out" >&2; return 1; }
  [ -n "$c1" ] || { echo "$broker: the run ended before the measured window did" >&2; return 1; }
  WINDOW_TICKS=$((c1 - c0))
}

ensure_perftest() { [ -d "$PERFTEST_LIB" ] || mvn -B -q -f "$BENCH_DIR/perftest/pom.xml" package; }

# The three nodes n1-n3 of a Warren cluster (bin/warren, which execs the JVM, so $! is the broker's pid), logs in
# $WORK/warren-nN.log. Refuses ports already in use: a stray node there would be measured instead.
start_warren() {
  local peers="" i p
  for i in 0 1 2; do
    for p in "${WARREN_PORTS[i]}" $((WARREN_PORTS[i] + 2000)) $((WARREN_PORTS[i] + 12000)); do
      if port_open "$p"; then echo "port $p is already in use" >&2; return 1; fi
    done
    peers+="${peers:+,}n$((i + 1))=127.0.0.1:$((WARREN_PORTS[i] + 2000))"
  done
  PIDS=()
  for i in 0 1 2; do
    "$ROOT/bin/warren" --node-name "n$((i + 1))" --cluster-peers "$peers" --cluster-secret bench \
      --amqp-port "${WARREN_PORTS[i]}" --http-port -1 --mqtt-port -1 --data-dir "$WORK/warren-n$((i + 1))" \
      > "$WORK/warren-n$((i + 1)).log" 2>&1 &
    PIDS+=($!)
  done
  STOP="kill ${PIDS[*]}; wait ${PIDS[*]} 2>/dev/null || true; rm -rf '$WORK'/warren-n*"
  for i in 0 1 2; do wait_port "${WARREN_PORTS[i]}"; done
}

# Three private RabbitMQ 3.10 nodes (rabbitmq-node.sh), nodes 2 and 3 joined to node 1 with rabbitmqctl join_cluster.
start_rabbitmq() {
  local p
  [ -x "$RABBIT_NODE_SH" ] || { echo "no RabbitMQ node script at $RABBIT_NODE_SH (set RABBIT_NODE_SH)" >&2; return 1; }
  for p in "${RABBIT_PORTS[@]}"; do "$RABBIT_NODE_SH" start "$p" > /dev/null & done
  wait
  STOP="for p in ${RABBIT_PORTS[*]}; do '$RABBIT_NODE_SH' stop \$p > /dev/null; done"
  # (join_cluster logs harmless errors about the third node not being there yet: kept in $WORK/rabbitmqctl.err)
  for p in "${RABBIT_PORTS[@]:1}"; do
    { rabbitmqctl -q -n "node$p@localhost" stop_app \
        && rabbitmqctl -q -n "node$p@localhost" join_cluster "node${RABBIT_PORTS[0]}@localhost" \
        && rabbitmqctl -q -n "node$p@localhost" start_app; } 2>> "$WORK/rabbitmqctl.err" \
      || { tail -20 "$WORK/rabbitmqctl.err" >&2; return 1; }
  done
  PIDS=()
  for p in "${RABBIT_PORTS[@]}"; do PIDS+=("$("$RABBIT_NODE_SH" pid "$p")"); done
}

# AMQP port of node N (1-3) of BROKER
node_port() { if [ "$1" = warren ]; then echo "${WARREN_PORTS[$2 - 1]}"; else echo "${RABBIT_PORTS[$2 - 1]}"; fi; }

stop_cluster() { if [ -n "$STOP" ]; then eval "$STOP" || true; fi; STOP=""; }
