#!/usr/bin/env bash
# Stream replay measurement against a broker that is already running (Warren or RabbitMQ): publishes N 1 KiB
# messages with confirms (at most 100 unconfirmed) into the stream bench.stream, then replays it from the first
# offset with one consumer (prefetch Q, one basic.ack per message). Prints the client's rates and the broker's
# CPU time per message (utime+stime of PID from /proc) and RSS. See bench/README.md, "Stream replay".
#
# usage: bench/stream-replay.sh PORT BROKER_PID [N=1000000] [PREFETCH=1000]
set -Eeuo pipefail
port=${1:?usage: stream-replay.sh PORT BROKER_PID [N] [PREFETCH]}; pid=${2:?broker pid}; n=${3:-1000000}; q=${4:-1000}
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LIB=$BENCH_DIR/perftest/target/lib
[ -d "$LIB" ] || mvn -B -q -f "$BENCH_DIR/perftest/pom.xml" package >&2   # as run.sh fetches PerfTest and amqp-client
CLASSES=$(mktemp -d /tmp/warren-stream-bench.XXXXXX)
trap 'rm -rf "$CLASSES"' EXIT
javac -nowarn -d "$CLASSES" -cp "$LIB/*" "$BENCH_DIR/src/main/java/io/warren/bench/load/BacklogDriver.java"
driver() { java -cp "$CLASSES:$LIB/*" io.warren.bench.load.BacklogDriver "$@" -h "amqp://guest:guest@127.0.0.1:$port" -u bench.stream; }
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
rss() { awk '/VmRSS/ { print $2 }' "/proc/$pid/status"; }
hz=$(getconf CLK_TCK)
per_msg() { awk -v t="$1" -v hz="$hz" -v n="$n" 'BEGIN { printf "%.1f", 1e6 * t / hz / n }'; }
driver delete > /dev/null 2>&1 || true
echo "rss_idle_kib $(rss)"
t0=$(ticks); driver publish -t stream -n "$n" -s 1024 -c 100 2> /dev/null | grep -v ' DEBUG ' | sed 's/^/publish_/'; t1=$(ticks)
echo "publish_cpu_us_per_msg $(per_msg $((t1 - t0)))"
echo "rss_full_kib $(rss)"
t0=$(ticks); driver drain -t stream -n "$n" -q "$q" 2> /dev/null | grep -v ' DEBUG ' | sed 's/^/replay_/'; t1=$(ticks)
echo "replay_cpu_us_per_msg $(per_msg $((t1 - t0)))"
echo "rss_after_replay_kib $(rss)"
driver delete > /dev/null 2>&1 || true
