#!/usr/bin/env bash
# Quorum queues side by side on three nodes: a 3-node Warren cluster and a 3-node RabbitMQ 3.10 cluster
# (Debian rabbitmq-server, joined with rabbitmqctl join_cluster), one after the other, under the same PerfTest
# load: 1 publisher and 1 consumer on node 1, persistent 1 KiB messages into a quorum queue, confirms with at
# most 100 outstanding, manual ack with prefetch 100. Prints msg/s, confirm latency p50/p99 and the brokers'
# CPU time per message summed over the three nodes (utime+stime from /proc) over the measured window.
# See bench/README.md. Everything it starts is stopped on exit.
#
# Environment (all optional):
#   BENCH_WARMUP=20  BENCH_SECONDS=20   warm-up and measured seconds (the JVM's JIT needs the warm-up)
#   BENCH_BROKERS="warren rabbitmq"     BENCH_ROUNDS=1 (interleaved rounds: warren, rabbitmq, warren, ...)
#   WARREN_PORTS="5811 5812 5813"       RABBIT_PORTS="5741 5742 5743"
#   RABBIT_NODE_SH   the private-node script (default ../shared/tools/rabbitmq-node.sh beside the checkout)
set -Eeuo pipefail
WARMUP=${BENCH_WARMUP:-20}
SECONDS_MEASURED=${BENCH_SECONDS:-20}
BROKERS=${BENCH_BROKERS:-"warren rabbitmq"}
ROUNDS=${BENCH_ROUNDS:-1}
WORK=$(mktemp -d /tmp/warren-quorum-bench.XXXXXX)
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"   # start_warren, start_rabbitmq, stop_cluster, ticks, PIDS

cleanup() {
  stop_cluster
  rm -rf "$WORK"
}
trap cleanup EXIT

ensure_perftest

# run_one BROKER PORT: PerfTest on node 1 for WARMUP + SECONDS; CPU of the three nodes sampled around the window
run_one() {
  local broker=$1 port=$2 csv=$WORK/$1.csv total=$((WARMUP + SECONDS_MEASURED + 1))
  : > "$csv"
  java -cp "$PERFTEST_LIB/*" com.rabbitmq.perf.PerfTest -h "amqp://guest:guest@127.0.0.1:$port" \
    --id "qq-$broker" -z "$total" -i 1 -o "$csv" -x 1 -y 1 -s 1024 -f persistent -c 100 -q 100 \
    -u bench.quorum -ad false --queue-args x-queue-type=quorum > "$WORK/$broker.out" 2>&1 &
  follow_window "$broker" $! "$csv" "$WORK/$broker.out" || return 1
  # CSV: $2 time, $3 sent msg/s, $7 received msg/s, $14 / $17 confirm latency p50 / p99 (µs)
  awk -F, -v s="$WARMUP" -v e=$((WARMUP + SECONDS_MEASURED)) -v ticks="$WINDOW_TICKS" -v hz="$CLK_TCK" -v br="$broker" '
    function median(a, n,   i, j, t) {
      for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return n == 0 ? -1 : (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) }
    NR == 1 { next }
    { r = NR - 1 }
    r == s { t0 = $2 }
    r > s && r <= e { dt = $2 - prev; con += $7 * dt; n++; p50[n] = $14; p99[n] = $17 }
    { prev = $2 }
    r == e { t1 = $2 }
    END { printf "%-9s %10.0f %12.2f %12.2f %14.1f\n", br, con / (t1 - t0), median(p50, n) / 1000, median(p99, n) / 1000,
          1e6 * ticks / hz / con }' "$csv"
}

printf '%-9s %10s %12s %12s %14s\n' broker msg/s confirm-p50 confirm-p99 'us/msg(3 nodes)'
printf '%-9s %10s %12s %12s %14s\n' '' '' '(ms)' '(ms)' ''
for _ in $(seq 1 "$ROUNDS"); do
  for broker in $BROKERS; do
    "start_$broker"
    run_one "$broker" "$(node_port "$broker" 1)" || true
    stop_cluster
    sleep 2
  done
done
