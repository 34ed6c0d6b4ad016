#!/usr/bin/env bash
# A 3-node Warren cluster and a 3-node RabbitMQ 3.10 cluster (rabbitmqctl join_cluster) side by side, on what
# clustering costs (issue 11's targets):
#  1. definition changes: DeclareLatencyDriver on one connection, after BENCH_DECLARE_WARMUP unmeasured rounds of
#     declare/bind/delete, declares BENCH_DECLARES durable classic queues one after the other, binds each to
#     amq.direct, deletes each; p50 / p99 / mean round trip of queue.declare, queue.bind and queue.delete, through
#     node 1 and through node 2, and the three nodes' CPU time (utime+stime from /proc) per change;
#  2. cross-node messaging: PerfTest connected to node 1, 1 producer and 1 consumer, 1 KiB transient messages,
#     manual ack with prefetch 100, into a durable classic queue declared through node 2 (so it lives on node 2 on
#     both brokers), twice: at a fixed BENCH_RATE msg/s that both keep up with (CPU per message in a steady state,
#     consumer latency), then unlimited (the most each does; the publisher may outrun the consumer, and the queue
#     then grows). After BENCH_WARMUP seconds, over BENCH_SECONDS: msg/s published and consumed, and the three
#     nodes' CPU time per message.
# Rounds alternate the brokers (warren, rabbitmq, warren, ...) so that load from other work on the machine hits
# both alike; each broker gets a fresh cluster per round. Prints each round, then one table of the medians over
# the rounds with the ratios Warren/RabbitMQ. See bench/README.md. Everything it starts is stopped on exit.
#
# Environment (all optional):
#   BENCH_WARMUP=30  BENCH_SECONDS=20         cross-node runs: warm-up and measured seconds
#   BENCH_RATE=1000                            the fixed-rate cross-node run's publish rate
#   BENCH_DECLARES=500  BENCH_DECLARE_WARMUP=1000
#   BENCH_ROUNDS=1  BENCH_BROKERS="warren rabbitmq"  BENCH_SETTLE=10 (idle seconds after a cluster started)
#   WARREN_PORTS="5811 5812 5813"  RABBIT_PORTS="5741 5742 5743"  RABBIT_NODE_SH   (see lib.sh)
set -Eeuo pipefail
WARMUP=${BENCH_WARMUP:-30}
SECONDS_MEASURED=${BENCH_SECONDS:-20}
DECLARES=${BENCH_DECLARES:-500}
DECLARE_WARMUP=${BENCH_DECLARE_WARMUP:-1000}
RATE=${BENCH_RATE:-1000}
BROKERS=${BENCH_BROKERS:-"warren rabbitmq"}
ROUNDS=${BENCH_ROUNDS:-1}
SETTLE=${BENCH_SETTLE:-10}
XNODE_QUEUE=bench.crossnode
WORK=$(mktemp -d /tmp/warren-cluster-bench.XXXXXX)
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"   # start_warren, start_rabbitmq, stop_cluster, ticks, node_port, PIDS
RESULTS=$WORK/results   # one line per figure: BROKER ROUND METRIC VALUE

cleanup() {
  stop_cluster
  rm -rf "$WORK"
}
trap cleanup EXIT

ensure_perftest
javac -nowarn -d "$WORK/classes" -cp "$PERFTEST_LIB/*" "$BENCH_DIR/src/main/java/io/warren/bench/load/DeclareLatencyDriver.java"
driver() { java -cp "$WORK/classes:$PERFTEST_LIB/*" io.warren.bench.load.DeclareLatencyDriver "$@" 2> "$WORK/driver.err"; }
uri() { echo "amqp://guest:guest@127.0.0.1:$(node_port "$1" "$2")"; }
record() { echo "$*" >> "$RESULTS"; }

# declares BROKER ROUND NODE: definition-change round trips through node NODE
declares() {
  local broker=$1 round=$2 node=$3 key value
  driver latency -h "$(uri "$broker" "$node")" -n "$DECLARES" -w "$DECLARE_WARMUP" \
      --pids "$(IFS=,; echo "${PIDS[*]}")" --hz "$CLK_TCK" > "$WORK/declares.out" \
    || { echo "$broker: DeclareLatencyDriver via n$node failed:" >&2; tail -5 "$WORK/driver.err" >&2; return 1; }
  # amqp-client's logback (from PerfTest's class path) logs to stdout too; keep the driver's "name_stat value" lines
  grep -E '^[a-z]+_[a-z0-9]+ [0-9.]+$' "$WORK/declares.out" | while read -r key value; do
    record "$broker" "$round" "${key%%_*}_n${node}_${key#*_}" "$value"
  done
}

# crossnode BROKER ROUND PREFIX [PERFTEST_ARGS...]: PerfTest on node 1 against a fresh queue on node 2; CPU of the
# three nodes sampled around the measured window (when PerfTest's per-second CSV reaches its first and last row).
# Records PREFIX_pub, _cons (msg/s), _us (CPU us/msg), _cpu (% of a core), _lat50 / _lat99 (consumer latency, ms).
crossnode() {
  local broker=$1 round=$2 prefix=$3 csv=$WORK/$1.csv total=$((WARMUP + SECONDS_MEASURED + 1))
  shift 3
  driver declare -h "$(uri "$broker" 2)" -u "$XNODE_QUEUE" > /dev/null \
    || { echo "$broker: declaring $XNODE_QUEUE via n2 failed:" >&2; tail -5 "$WORK/driver.err" >&2; return 1; }
  : > "$csv"
  # -p (--predeclared): use the queue as it is rather than declare PerfTest's own
  java -cp "$PERFTEST_LIB/*" com.rabbitmq.perf.PerfTest -h "$(uri "$broker" 1)" --id "xnode-$broker" \
    -z "$total" -i 1 -o "$csv" -x 1 -y 1 -s 1024 -q 100 -u "$XNODE_QUEUE" -p "$@" > "$WORK/$broker.out" 2>&1 &
  follow_window "$broker" $! "$csv" "$WORK/$broker.out" || return 1
  driver delete -h "$(uri "$broker" 1)" -u "$XNODE_QUEUE" > /dev/null || true
  # CSV: $2 time (s), $3 sent msg/s, $7 received msg/s, $9 / $12 consumer latency p50 / p99 (us). CPU per message
  # over the messages that went through the broker: the consumed ones, or the published ones if the consumer fell
  # behind (a queue growing). Latencies: the median over the window's seconds of each second's p50 and p99
  awk -F, -v s="$WARMUP" -v e=$((WARMUP + SECONDS_MEASURED)) -v ticks="$WINDOW_TICKS" -v hz="$CLK_TCK" \
      -v pre="$broker $round $prefix" '
    function median(a, n,   i, j, t) {
      for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return n == 0 ? -1 : (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) }
    NR == 1 { next }
    { r = NR - 1 }
    r == s { t0 = $2 }
    r > s && r <= e { dt = $2 - prev; pub += $3 * dt; con += $7 * dt; k++; l50[k] = $9; l99[k] = $12 }
    { prev = $2 }
    r == e { t1 = $2 }
    END { cpu = ticks / hz; n = pub > con ? pub : con
          printf "%s_pub %.0f\n%s_cons %.0f\n%s_us %.1f\n%s_cpu %.0f\n%s_lat50 %.2f\n%s_lat99 %.2f\n",
            pre, pub / (t1 - t0), pre, con / (t1 - t0), pre, 1e6 * cpu / n, pre, 100 * cpu / (t1 - t0),
            pre, median(l50, k) / 1000, pre, median(l99, k) / 1000 }' "$csv" >> "$RESULTS"
}

# one line per metric: the median over the rounds of each broker, and Warren / RabbitMQ
table() {
  printf '%-34s %12s %12s %16s\n' '' warren rabbitmq warren/rabbitmq
  local metric label
  while IFS='|' read -r metric label; do
    awk -v m="$metric" -v label="$label" '
      function median(a, n,   i, j, t) {
        for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
      $3 == m && $1 == "warren" { w[++nw] = $4 }
      $3 == m && $1 == "rabbitmq" { r[++nr] = $4 }
      END {
        if (nw + nr == 0) exit
        fmt = m ~ /_(pub|cons)$|^(rate|xnode)_cpu$/ ? "%12.0f" : "%12.2f"
        printf "%-34s ", label
        if (nw) printf fmt, median(w, nw); else printf "%12s", "-"
        printf " "
        if (nr) printf fmt, median(r, nr); else printf "%12s", "-"
        if (nw && nr && median(r, nr) > 0) printf " %16.2f", median(w, nw) / median(r, nr)
        printf "\n" }' "$RESULTS"
  done <<'EOF'
declare_n1_p50|queue.declare via n1 p50 (ms)
declare_n1_p99|queue.declare via n1 p99 (ms)
declare_n1_mean|queue.declare via n1 mean (ms)
declare_n2_p50|queue.declare via n2 p50 (ms)
declare_n2_p99|queue.declare via n2 p99 (ms)
bind_n1_p50|queue.bind via n1 p50 (ms)
bind_n1_p99|queue.bind via n1 p99 (ms)
bind_n2_p50|queue.bind via n2 p50 (ms)
delete_n1_p50|queue.delete via n1 p50 (ms)
delete_n2_p50|queue.delete via n2 p50 (ms)
change_n1_cpu|CPU ms per change via n1 (3 nodes)
change_n2_cpu|CPU ms per change via n2 (3 nodes)
rate_pub|fixed rate: published msg/s
rate_cons|fixed rate: consumed msg/s
rate_us|fixed rate: CPU us/msg (3 nodes)
rate_cpu|fixed rate: CPU % of a core (3 nodes)
rate_lat50|fixed rate: consumer latency p50 (ms)
rate_lat99|fixed rate: consumer latency p99 (ms)
xnode_pub|unlimited: published msg/s
xnode_cons|unlimited: consumed msg/s
xnode_us|unlimited: CPU us/msg (3 nodes)
xnode_cpu|unlimited: CPU % of a core (3 nodes)
load1|load average (1 min) at start
EOF
}

echo "cluster-compare: $DECLARES declares (after $DECLARE_WARMUP warm-up rounds); cross-node at $RATE msg/s and unlimited," \
  "each ${WARMUP}s warm-up + ${SECONDS_MEASURED}s; $ROUNDS round(s)"
for round in $(seq 1 "$ROUNDS"); do
  for broker in $BROKERS; do
    echo "round $round, $broker: $(uptime)"
    record "$broker" "$round" load1 "$(cut -d' ' -f1 /proc/loadavg)"
    "start_$broker"
    sleep "$SETTLE"
    declares "$broker" "$round" 1 || true
    declares "$broker" "$round" 2 || true
    crossnode "$broker" "$round" rate -r "$RATE" || true
    crossnode "$broker" "$round" xnode || true
    stop_cluster
    grep "^$broker $round " "$RESULTS" | cut -d' ' -f3- | paste -sd' ' | sed 's/^/  /'
    sleep 2
  done
done
echo
table
