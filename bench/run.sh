#!/usr/bin/env bash
# Side-by-side load benchmark: the same RabbitMQ PerfTest scenarios against Warren, a private RabbitMQ 3.10 node and
# a private LavinMQ 1.2.11 node, interleaved, with the broker's CPU time per message read from /proc.
# See bench/README.md.  Everything this script starts is stopped on exit, failure or Ctrl-C.
#
# Each round starts every broker fresh, then runs each scenario on each broker in turn (a on warren, a on rabbitmq,
# a on lavinmq, b on warren, ...; the broker order rotates by one per round), reads each broker's idle RSS, runs the
# backlog scenario if asked, and stops the brokers. The report gives every run and the medians over the rounds.
#
# Environment (all optional):
#   BENCH_SECONDS=20        measured window per run            BENCH_WARMUP=30  warm-up before it (JIT)
#   BENCH_ONLY=a,b,c,d,e,p  scenarios to run (also g, backlog)  BENCH_BROKERS=warren,rabbitmq (any of lavinmq too)
#   BENCH_ROUNDS=1          rounds (medians over them)         BENCH_IDLE=10    idle seconds before the RSS reading
#   BENCH_BACKLOG_MESSAGES=1000000  messages the 'backlog' scenario publishes, restarts with and drains
#   BENCH_PAUSE=3           idle seconds between runs          BENCH_SKIP_BUILD=1  never run mvn for Warren
#   BENCH_PERFTEST_ARGS     extra PerfTest args for every run  PERFTEST_JAVA_OPTS  JVM options of PerfTest
#   WARREN_PORT=5682  WARREN_HTTP_PORT=15682  WARREN_START_TIMEOUT=30  WARREN_JAVA_OPTS
#   WARREN_CMD   command that starts Warren in the foreground; it sees $WARREN_PORT, $WARREN_HTTP_PORT and
#                $WARREN_DATA_DIR (quote it in single quotes). Default: bin/warren ...
#   WARREN_PID   do not build Warren; account the "warren" side's CPU to this pid (or to the private
#                RabbitMQ node's if WARREN_PID=rabbitmq) and expect a broker on WARREN_PORT already.
#                WARREN_CMD, if also set, is still started and stopped (e.g. 'sleep infinity').
#   RABBIT_PORT=5692   RABBIT_PID  (use an already running RabbitMQ on RABBIT_PORT with this pid;
#                                   it is then not started nor stopped)          RABBIT_NODE_SH
#   LAVINMQ_PORT=5702 (HTTP API on +10000)   LAVINMQ_PID (as RABBIT_PID)         LAVINMQ_SH
# shellcheck source-path=SCRIPTDIR
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"
# shellcheck source=lib/proc.sh
. "$BENCH_DIR/lib/proc.sh"   # log, die, alive, tree_ticks, tree_rss_kib, host_jiffies, kill_tree, ...

SECONDS_MEASURED=${BENCH_SECONDS:-20}
WARMUP=${BENCH_WARMUP:-30}
PAUSE=${BENCH_PAUSE:-3}
IDLE_PAUSE=${BENCH_IDLE:-10}
ROUNDS=${BENCH_ROUNDS:-1}
ONLY=${BENCH_ONLY:-a,b,c,d,e,p}
BACKLOG_MESSAGES=${BENCH_BACKLOG_MESSAGES:-1000000}
BROKERS=${BENCH_BROKERS:-warren,rabbitmq}
export WARREN_PORT=${WARREN_PORT:-5682}
export WARREN_HTTP_PORT=${WARREN_HTTP_PORT:-15682}
WARREN_START_TIMEOUT=${WARREN_START_TIMEOUT:-30}
RABBIT_PORT=${RABBIT_PORT:-5692}
# the project's shared/ sits beside the checkout (../shared), or beside the worktrees' folder (../../shared)
SHARED=$ROOT/../shared; [ -d "$SHARED/tools" ] || [ ! -d "$ROOT/../../shared/tools" ] || SHARED=$ROOT/../../shared
RABBIT_NODE_SH=${RABBIT_NODE_SH:-$SHARED/tools/rabbitmq-node.sh}
LAVINMQ_PORT=${LAVINMQ_PORT:-5702}
LAVINMQ_SH=${LAVINMQ_SH:-$SHARED/tools/lavinmq/lavinmq.sh}
PERFTEST_POM=$BENCH_DIR/perftest/pom.xml
PERFTEST_LIB=$BENCH_DIR/perftest/target/lib
CLK_TCK=$(getconf CLK_TCK)
NCPU=$(nproc)
SCENARIOS=(a b c d e g p)   # steady-state scenarios in the order they run; backlog runs after them

STAMP=$(date +%Y%m%d-%H%M%S)
RESULTS_DIR=$BENCH_DIR/results
RESULT_FILE=$RESULTS_DIR/$STAMP.txt
WORK=$(mktemp -d /tmp/warren-bench.XXXXXX)
WARREN_LOG=$WORK/warren.log
LAVIN_LOG=$WORK/lavinmq.log

for v in SECONDS_MEASURED WARMUP PAUSE IDLE_PAUSE ROUNDS BACKLOG_MESSAGES WARREN_PORT WARREN_HTTP_PORT WARREN_START_TIMEOUT RABBIT_PORT LAVINMQ_PORT; do
  is_uint "${!v}" || die "$v must be a non-negative integer, got '${!v}'"
done
[ "$SECONDS_MEASURED" -ge 1 ] || die "BENCH_SECONDS must be >= 1"
[ "$ROUNDS" -ge 1 ] || die "BENCH_ROUNDS must be >= 1"
[ "$BACKLOG_MESSAGES" -ge 1 ] || die "BENCH_BACKLOG_MESSAGES must be >= 1"
[[ $ONLY =~ ^([abcdegp]|backlog)(,([abcdegp]|backlog))*$ ]] || die "BENCH_ONLY must be a comma-separated subset of a,b,c,d,e,g,p,backlog"
[[ $BROKERS =~ ^(warren|rabbitmq|lavinmq)(,(warren|rabbitmq|lavinmq))*$ ]] || die "BENCH_BROKERS must be a comma-separated subset of warren,rabbitmq,lavinmq"
BROKER_LIST=()   # the brokers to run, always in this order (round 1's order; later rounds rotate it)
for br in warren rabbitmq lavinmq; do has "$BROKERS" "$br" && BROKER_LIST+=("$br"); done
RUN_WARREN=""; RUN_RABBIT=""; RUN_LAVIN=""
has "$BROKERS" warren && RUN_WARREN=1
has "$BROKERS" rabbitmq && RUN_RABBIT=1
has "$BROKERS" lavinmq && RUN_LAVIN=1
NEED_RABBIT=$RUN_RABBIT
[ -n "$RUN_WARREN" ] && [ "${WARREN_PID:-}" = rabbitmq ] && NEED_RABBIT=1

# shellcheck source=lib/brokers.sh
. "$BENCH_DIR/lib/brokers.sh"   # start_brokers, stop_brokers, start_warren, ..., PID_OF, PORT_OF, DESC_OF

# ---------------------------------------------------------------- cleanup (runs on every exit path)
PERFTEST_PID=""            # the running load client: PerfTest or a driver
PROBE_PID=""               # backlog restart probe (runs next to the broker's start)
CLEANED=""
cleanup() {
  local rc=$?
  [ -n "$CLEANED" ] && return; CLEANED=1
  trap '' INT TERM
  local client
  for client in "$PERFTEST_PID" "$PROBE_PID"; do
    if [ -n "$client" ] && kill -0 "$client" 2>/dev/null; then
      log "stopping load client (pid $client)"
      kill -TERM "$client" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$client" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$client" 2>/dev/null || true
    fi
  done
  stop_brokers
  local f   # keep the brokers' logs next to the results
  for f in warren lavinmq; do
    if [ -s "$WORK/$f.log" ]; then mkdir -p "$RESULTS_DIR"; cp "$WORK/$f.log" "$RESULTS_DIR/$STAMP-$f.log" 2>/dev/null || true; fi
  done
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'log "unexpected failure at line $LINENO: $BASH_COMMAND"' ERR
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# ---------------------------------------------------------------- PerfTest
perftest_version=$(sed -n 's:.*<perftest.version>\(.*\)</perftest.version>.*:\1:p' "$PERFTEST_POM")
[ -n "$perftest_version" ] || die "cannot read perftest.version from $PERFTEST_POM"
if [ ! -f "$PERFTEST_LIB/perf-test-$perftest_version.jar" ]; then
  log "fetching PerfTest $perftest_version and its dependencies (mvn -f bench/perftest/pom.xml package)"
  rm -rf "$PERFTEST_LIB"
  mvn -B -q -f "$PERFTEST_POM" package || die "could not fetch PerfTest"
fi
PERFTEST_CP="$PERFTEST_LIB/*"

# ---------------------------------------------------------------- scenarios
scenario_desc() {
  case $1 in
    a) echo "1 producer / 1 consumer, 12 B transient, auto-ack" ;;
    b) echo "1 producer / 1 consumer, 1 KiB transient, manual ack, prefetch 100" ;;
    c) echo "fanout exchange -> 10 queues x 1 consumer, 12 B transient, auto-ack" ;;
    d) echo "100 queues x (1 producer at 50 msg/s + 1 consumer), 1 KiB transient, manual ack, prefetch 100" ;;
    e) echo "TTL + DLX: 1 producer at 1000 msg/s -> queue with x-message-ttl 1000 ms -> expires into a 2nd queue -> 1 consumer; latency = expiry lag" ;;
    g) echo "1 producer at a fixed 1000 msg/s / 1 consumer, 12 B transient, auto-ack (CPU per message mostly fixed overhead)" ;;
    p) echo "1 producer (confirms, <= 100 unconfirmed) / 1 consumer, 1 KiB persistent into a durable queue, manual ack, prefetch 100; latency = confirm latency" ;;
    backlog) echo "$BACKLOG_MESSAGES persistent 1 KiB messages (confirms, <= 100 unconfirmed) into a durable queue with no consumer, broker restart with the backlog on disk, then drained by 1 consumer (manual ack, prefetch 100)" ;;
  esac
}
scenario_args() {
  case $1 in
    a) echo "-x 1 -y 1 -s 12 -a" ;;
    b) echo "-x 1 -y 1 -s 1024 -q 100" ;;
    c) echo "-x 1 -y 10 -s 12 -a -t fanout -e bench.fanout -qp bench.fanout.%d -qpf 1 -qpt 10" ;;
    d) echo "-x 100 -y 100 -r 50 -s 1024 -q 100 -qp bench.rate.%d -qpf 1 -qpt 100 -prsd 1" ;;
    e) echo "--rate 1000 --ttl 1000 --size 100" ;;
    g) echo "-x 1 -y 1 -s 12 -a -r 1000" ;;
    p) echo "-x 1 -y 1 -s 1024 -q 100 -c 100 -f persistent -ad false -u bench.persistent" ;;
    backlog) echo "publish -n $BACKLOG_MESSAGES -s 1024 -c 100; drain -n $BACKLOG_MESSAGES -q 100 (-u bench.backlog)" ;;
  esac
}
fanout_of() { [ "$1" = c ] && echo 10 || echo 1; }

mkdir -p "$RESULTS_DIR"
ROWS=$WORK/rows.tsv; : > "$ROWS"   # one line per run: round, scenario, broker, figures (see run_one), note
RSS_METRICS=$WORK/rss.tsv; : > "$RSS_METRICS"
RAW=$WORK/raw.txt; : > "$RAW"
FAILED=0

# BacklogDriver (bench/src/main/java/io/warren/bench/load): the backlog scenario's client, and queue clean-up for
# p (PerfTest leaves its non-auto-delete queue behind). Compiled once against PerfTest's amqp-client.
DRIVER_CLASSES=$WORK/driver-classes
# backlog_driver PORT COMMAND ARGS... (runs in the background as PERFTEST_PID, so cleanup can stop it)
backlog_driver() {
  local port=$1; shift
  if [ ! -d "$DRIVER_CLASSES" ]; then
    javac -nowarn -d "$DRIVER_CLASSES" -cp "$PERFTEST_CP" "$BENCH_DIR/src/main/java/io/warren/bench/load/BacklogDriver.java" >&2 \
      || die "cannot compile BacklogDriver"
  fi
  local cmd=$1; shift
  local -a jopts; read -r -a jopts <<< "${PERFTEST_JAVA_OPTS:-}"
  timeout --kill-after=10 $((900 + BACKLOG_MESSAGES / 250)) java "${jopts[@]}" -cp "$DRIVER_CLASSES:$PERFTEST_CP" \
    io.warren.bench.load.BacklogDriver "$cmd" -h "amqp://guest:guest@127.0.0.1:$port" "$@" < /dev/null &
  PERFTEST_PID=$!
  local rc=0; wait "$PERFTEST_PID" || rc=$?
  PERFTEST_PID=""
  return "$rc"
}

# run_one SCENARIO BROKER PORT PID ROUND: one PerfTest (or driver) run; appends its row to ROWS
run_one() {
  local sc=$1 broker=$2 port=$3 bpid=$4 round=$5
  local id="bench-$sc-$broker" out=$WORK/$sc-$broker-r$round.out csv=$WORK/$sc-$broker-r$round.csv
  local total=$((WARMUP + SECONDS_MEASURED + 1))
  local args; args="$(scenario_args "$sc")"
  [ "$sc" = e ] || args="$args ${BENCH_PERFTEST_ARGS:-}"   # PerfTest flags mean nothing to e's driver
  local -a jopts sargs
  read -r -a jopts <<< "${PERFTEST_JAVA_OPTS:-}"
  read -r -a sargs <<< "$args"
  local cmd=(java "${jopts[@]}" -cp "$PERFTEST_CP" com.rabbitmq.perf.PerfTest
             -h "amqp://guest:guest@127.0.0.1:$port" --id "$id" -z "$total" -i 1 -o "$csv" "${sargs[@]}")
  # e: PerfTest consumes from the queue it publishes to, so a small driver (run from source, with PerfTest's
  # amqp-client) writes the same per-second CSV, its latency columns holding the expiry lag
  [ "$sc" = e ] && cmd=(java "${jopts[@]}" -cp "$PERFTEST_CP" "$BENCH_DIR/src/main/java/io/warren/bench/load/TtlExpiryDriver.java"
             -h "amqp://guest:guest@127.0.0.1:$port" --id "$id" -z "$total" -o "$csv" "${sargs[@]}")
  log "round $round: scenario $sc on $broker: $(scenario_desc "$sc") — ${WARMUP}s warm-up + ${SECONDS_MEASURED}s measured"
  : > "$csv"
  timeout --kill-after=10 $((total + 60)) "${cmd[@]}" > "$out" 2>&1 < /dev/null &
  PERFTEST_PID=$!
  local start_row=$WARMUP end_row=$((WARMUP + SECONDS_MEASURED)) rows lines
  local b0="" b1="" c0="" c1="" h0="" h1="" w0="" w1=""
  while kill -0 "$PERFTEST_PID" 2>/dev/null; do
    { mapfile -t lines < "$csv"; } 2>/dev/null || lines=()   # PerfTest may be re-creating the file
    rows=$(( ${#lines[@]} > 0 ? ${#lines[@]} - 1 : 0 ))   # minus the header line
    if [ -z "$b0" ] && [ "$rows" -ge "$start_row" ]; then
      b0=$(tree_ticks "$bpid"); c0=$(tree_ticks "$PERFTEST_PID"); h0=$(host_jiffies); w0=$EPOCHREALTIME
    fi
    if [ -n "$b0" ] && [ -z "$b1" ] && [ "$rows" -ge "$end_row" ]; then
      b1=$(tree_ticks "$bpid"); c1=$(tree_ticks "$PERFTEST_PID"); h1=$(host_jiffies); w1=$EPOCHREALTIME
    fi
    sleep 0.05
  done
  local prc=0; wait "$PERFTEST_PID" || prc=$?
  PERFTEST_PID=""
  # p's durable queue is not auto-delete: remove it (and what is left in it) so it does not weigh on later runs
  if [ "$sc" = p ]; then backlog_driver "$port" delete -u bench.persistent >> "$out" 2>&1 || true; fi
  {
    echo "==================== round $round: scenario $sc on $broker: $(scenario_desc "$sc")"
    echo "\$ ${cmd[*]}"
    echo "(exit status $prc)"
    cat "$out"
    echo "---- $csv"
    cat "$csv"
    echo
  } >> "$RAW"
  local note=""
  if [ -z "$b1" ] || [ "$b0" = -1 ] || [ "$b1" = -1 ]; then
    if [ "$b0" = -1 ] || [ "$b1" = -1 ]; then note="broker pid $bpid gone"
    else
      note=$(grep -m1 -E 'Exception|Error' "$out" | cut -c1-100 || true)
      note="PerfTest failed (exit $prc)${note:+: $note}"
    fi
    log "scenario $sc on $broker FAILED: $note"; tail -n 5 "$out" >&2 || true
    printf '%s\t%s\t%s\tFAILED\t\t\t\t\t\t\t\t\t%s\n' "$round" "$sc" "$broker" "$note" >> "$ROWS"
    FAILED=1
    return
  fi
  # Window = CSV rows start_row+1 .. end_row. Each row has rates over its own interval; count = rate*dt.
  # p: the latency columns hold PerfTest's confirm latency (CSV columns 13-17); its consumer latency goes to the note
  awk -F, -v s="$start_row" -v e="$end_row" -v round="$round" -v sc="$sc" -v br="$broker" -v fan="$(fanout_of "$sc")" -v conf="$([ "$sc" = p ] && echo 1 || echo 0)" \
      -v bt="$((b1 - b0))" -v ct="$((c1 - c0))" -v hz="$CLK_TCK" -v ncpu="$NCPU" \
      -v hb="$(( ${h1% *} - ${h0% *} ))" -v ht="$(( ${h1#* } - ${h0#* } ))" -v w0="$w0" -v w1="$w1" '
    function median(a, n,   i, j, t) {
      for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      if (n == 0) return -1
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    NR == 1 { next }
    { r = NR - 1 }
    r == s { t0 = $2 }
    r > s && r <= e { dt = $2 - prev; pub += $3 * dt; con += $7 * dt
                      l50 = conf ? $14 : $9; l99 = conf ? $17 : $12
                      if (l50 != "") { n++; p50[n] = l50; p99[n] = l99 }
                      if (conf && $9 != "") { m++; q50[m] = $9; q99[m] = $12 } }
    { prev = $2 }
    r == e { t1 = $2 }
    END {
      dur = t1 - t0; wall = w1 - w0
      if (dur <= 0 || con <= 0) { printf "%s\t%s\t%s\tFAILED\t\t\t\t\t\t\t\t\tno messages consumed in the window\n", round, sc, br; exit }
      bcpu = bt / hz; ccpu = ct / hz
      # messages through the broker: deliveries consumed, or routed copies (published x fan-out) if more
      # were routed than consumed (a backlog built up, so the enqueue work was done for more messages)
      msgs = con; if (pub * fan > msgs) msgs = pub * fan
      note = ""
      if (pub > 0 && con < 0.9 * fan * pub) note = sprintf("backlog: consumed only %.0f%% of %spublished", 100 * con / (fan * pub), fan > 1 ? fan "x " : "")
      if (conf && m > 0) note = note (note != "" ? "; " : "") sprintf("consumer latency p50 %d us, p99 %d us", median(q50, m), median(q99, m))
      printf "%s\t%s\t%s\t%.0f\t%.0f\t%.0f\t%.0f\t%.2f\t%.0f\t%.2f\t%.0f\t%.1f\t%s\n", round, sc, br,
        pub / dur, con / dur, median(p50, n), median(p99, n),
        1e6 * bcpu / msgs, 100 * bcpu / wall, 1e6 * ccpu / msgs, (ht > 0 ? 100 * hb / ht : 0), dur, note }
  ' "$csv" >> "$ROWS"
  if tail -n 1 "$ROWS" | grep -q FAILED; then FAILED=1; fi
}

# shellcheck source=lib/backlog.sh
. "$BENCH_DIR/lib/backlog.sh"   # run_backlog, report_backlog
# shellcheck source=lib/report.sh
. "$BENCH_DIR/lib/report.sh"    # report, median_table

# ---------------------------------------------------------------- rounds
if [ -n "$RUN_WARREN" ] && [ -z "${WARREN_PID:-}" ] && [ -z "${WARREN_CMD:-}" ]; then build_warren_if_needed; fi
steady=""; for sc in "${SCENARIOS[@]}"; do has "$ONLY" "$sc" && steady=1; done
for ((round = 1; round <= ROUNDS; round++)); do
  # round r runs the brokers in BROKER_LIST's order rotated by r-1, so that no broker always goes first
  ORDER=()
  for ((i = 0; i < ${#BROKER_LIST[@]}; i++)); do ORDER+=("${BROKER_LIST[(i + round - 1) % ${#BROKER_LIST[@]}]}"); done
  log "round $round of $ROUNDS: ${ORDER[*]}"
  start_brokers
  for br in "${ORDER[@]}"; do echo "round $round: $br: ${DESC_OF[$br]}" >> "$RAW"; done
  first=1
  for sc in "${SCENARIOS[@]}"; do
    has "$ONLY" "$sc" || continue
    for br in "${ORDER[@]}"; do
      [ -n "$first" ] || sleep "$PAUSE"; first=""
      alive "${PID_OF[$br]}" || die "$br (pid ${PID_OF[$br]}) is no longer running"
      run_one "$sc" "$br" "${PORT_OF[$br]}" "${PID_OF[$br]}" "$round"
    done
  done
  if [ -n "$steady" ]; then   # the footprint each broker keeps once the load is gone
    log "round $round: ${IDLE_PAUSE}s idle, then the brokers' RSS"
    sleep "$IDLE_PAUSE"
    for br in "${ORDER[@]}"; do
      printf 'RSS after the run, idle (MiB)\t%s\t%s\t%s\n' "$br" "$round" "$(rss_mib "$br")" >> "$RSS_METRICS"
    done
  fi
  if has "$ONLY" backlog; then
    for br in "${ORDER[@]}"; do
      alive "${PID_OF[$br]}" || die "$br (pid ${PID_OF[$br]}) is no longer running"
      run_backlog "$br" "${PORT_OF[$br]}" "$round"
    done
  fi
  stop_brokers
done

{ report; echo; echo "#################### raw PerfTest output"; cat "$RAW"; } > "$RESULT_FILE"
echo
report
echo
echo "results (with raw PerfTest output): $RESULT_FILE"
[ "$FAILED" = 0 ] || { log "some runs failed; see $RESULT_FILE"; exit 1; }
