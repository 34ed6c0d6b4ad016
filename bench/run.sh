#!/usr/bin/env bash
# Side-by-side load benchmark: the same RabbitMQ PerfTest scenarios against Warren and a private
# RabbitMQ 3.10 node, one after the other, with the broker's CPU time per message read from /proc.
# See bench/README.md.  Everything this script starts is stopped on exit, failure or Ctrl-C.
#
# Environment (all optional):
#   BENCH_SECONDS=20        measured window per run            BENCH_WARMUP=30  warm-up before it (JIT)
#   BENCH_ONLY=a,b,c,d,e,p  scenarios to run (add 'backlog')   BENCH_BROKERS=warren,rabbitmq
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
#                                   it is then not started nor stopped)
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"

SECONDS_MEASURED=${BENCH_SECONDS:-20}
WARMUP=${BENCH_WARMUP:-30}
PAUSE=${BENCH_PAUSE:-3}
ONLY=${BENCH_ONLY:-a,b,c,d,e,p}
BACKLOG_MESSAGES=${BENCH_BACKLOG_MESSAGES:-1000000}
BROKERS=${BENCH_BROKERS:-warren,rabbitmq}
export WARREN_PORT=${WARREN_PORT:-5682}
export WARREN_HTTP_PORT=${WARREN_HTTP_PORT:-15682}
WARREN_START_TIMEOUT=${WARREN_START_TIMEOUT:-30}
RABBIT_PORT=${RABBIT_PORT:-5692}
RABBIT_NODE_SH=${RABBIT_NODE_SH:-$ROOT/../shared/tools/rabbitmq-node.sh}
PERFTEST_POM=$BENCH_DIR/perftest/pom.xml
PERFTEST_LIB=$BENCH_DIR/perftest/target/lib
CLK_TCK=$(getconf CLK_TCK)
NCPU=$(nproc)

STAMP=$(date +%Y%m%d-%H%M%S)
RESULTS_DIR=$BENCH_DIR/results
RESULT_FILE=$RESULTS_DIR/$STAMP.txt
WORK=$(mktemp -d /tmp/warren-bench.XXXXXX)
WARREN_LOG=$WORK/warren.log

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }
# running and not a zombie (in a container, pid 1 may never reap a daemon that exited)
alive() {
  local st
  st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  st=${st##*) }
  [ "${st%% *}" != Z ]
}

for v in SECONDS_MEASURED WARMUP PAUSE BACKLOG_MESSAGES WARREN_PORT WARREN_HTTP_PORT WARREN_START_TIMEOUT RABBIT_PORT; do
  is_uint "${!v}" || die "$v must be a non-negative integer, got '${!v}'"
done
[ "$SECONDS_MEASURED" -ge 1 ] || die "BENCH_SECONDS must be >= 1"
[ "$BACKLOG_MESSAGES" -ge 1 ] || die "BENCH_BACKLOG_MESSAGES must be >= 1"
[[ $ONLY =~ ^([abcdep]|backlog)(,([abcdep]|backlog))*$ ]] || die "BENCH_ONLY must be a comma-separated subset of a,b,c,d,e,p,backlog"
[[ $BROKERS =~ ^(warren|rabbitmq)(,(warren|rabbitmq))?$ ]] || die "BENCH_BROKERS must be warren, rabbitmq or both"
has() { [[ ",$1," == *",$2,"* ]]; }

# ---------------------------------------------------------------- cleanup (runs on every exit path)
WARREN_STARTED_PID=""     # process we launched for Warren (its own session/process group)
RABBIT_STARTED=""         # set once we started the private RabbitMQ node
RABBIT_BEAM_PID=""
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
  if [ -n "$WARREN_STARTED_PID" ]; then stop_warren; fi
  if [ -s "$WARREN_LOG" ]; then   # keep the broker's log next to the results
    mkdir -p "$RESULTS_DIR" && cp "$WARREN_LOG" "$RESULTS_DIR/$STAMP-warren.log" 2>/dev/null || true
  fi
  if [ -n "$RABBIT_STARTED" ]; then
    [ -n "$RABBIT_BEAM_PID" ] || RABBIT_BEAM_PID=$("$RABBIT_NODE_SH" pid "$RABBIT_PORT" 2>/dev/null || true)
    is_uint "$RABBIT_BEAM_PID" || RABBIT_BEAM_PID=""
    log "stopping RabbitMQ node on port $RABBIT_PORT (pid ${RABBIT_BEAM_PID:-?})"
    "$RABBIT_NODE_SH" stop "$RABBIT_PORT" >/dev/null 2>&1 || true
    if [ -n "$RABBIT_BEAM_PID" ]; then
      for _ in $(seq 1 300); do alive "$RABBIT_BEAM_PID" || break; sleep 0.1; done
      if alive "$RABBIT_BEAM_PID"; then
        log "RabbitMQ did not stop in 30 s; killing pid $RABBIT_BEAM_PID"
        kill -KILL "$RABBIT_BEAM_PID" 2>/dev/null || true
      fi
    fi
  fi
  rm -rf "$WORK"
  exit "$rc"
}
stop_warren() {
  local pid=$WARREN_STARTED_PID
  WARREN_STARTED_PID=""
  kill -0 "$pid" 2>/dev/null || return 0
  log "stopping Warren (pid $pid)"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    log "Warren did not stop in 15 s; killing it"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
trap cleanup EXIT
trap 'log "unexpected failure at line $LINENO: $BASH_COMMAND"' ERR
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# ---------------------------------------------------------------- CPU accounting from /proc
# utime+stime (clock ticks) of a process and all its descendants (a launcher script that does not exec
# java, RabbitMQ's erl_child_setup...). Threads are included in a process's own counters.
tree_ticks() {
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v root="$1" '
    { line = $0; p = 0; s = line
      while ((j = index(s, ")")) > 0) { p += j; s = substr(s, j + 1) }
      pid = substr(line, 1, index(line, " ") - 1)
      n = split(substr(line, p + 2), f, " ")
      if (n < 13) next
      ppid[pid] = f[2]; ticks[pid] = f[12] + f[13] }
    END {
      if (!(root in ticks)) { print "-1"; exit }
      in_tree[root] = 1
      do { changed = 0
           for (q in ppid) if (!(q in in_tree) && (ppid[q] in in_tree)) { in_tree[q] = 1; changed = 1 }
      } while (changed)
      t = 0; for (q in in_tree) t += ticks[q]; print t }'
}
# "busy total" jiffies of the whole machine from /proc/stat
host_jiffies() {
  local _cpu user nice system idle iowait irq softirq steal _rest
  read -r _cpu user nice system idle iowait irq softirq steal _rest < /proc/stat
  echo "$((user + nice + system + irq + softirq + steal)) $((user + nice + system + idle + iowait + irq + softirq + steal))"
}
# resident memory in KiB: the sum of VmRSS (/proc/PID/status) over a process and all its descendants
tree_rss_kib() {
  local pids pid kb total=0
  pids=$({ cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v root="$1" '
    { line = $0; p = 0; s = line
      while ((j = index(s, ")")) > 0) { p += j; s = substr(s, j + 1) }
      pid = substr(line, 1, index(line, " ") - 1)
      split(substr(line, p + 2), f, " "); ppid[pid] = f[2] }
    END {
      if (!(root in ppid)) exit
      in_tree[root] = 1
      do { changed = 0
           for (q in ppid) if (!(q in in_tree) && (ppid[q] in in_tree)) { in_tree[q] = 1; changed = 1 }
      } while (changed)
      for (q in in_tree) print q }')
  for pid in $pids; do
    kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}

# ---------------------------------------------------------------- PerfTest
perftest_version=$(sed -n 's:.*<perftest.version>\(.*\)</perftest.version>.*:\1:p' "$PERFTEST_POM")
[ -n "$perftest_version" ] || die "cannot read perftest.version from $PERFTEST_POM"
if [ ! -f "$PERFTEST_LIB/perf-test-$perftest_version.jar" ]; then
  log "fetching PerfTest $perftest_version and its dependencies (mvn -f bench/perftest/pom.xml package)"
  rm -rf "$PERFTEST_LIB"
  mvn -B -q -f "$PERFTEST_POM" package || die "could not fetch PerfTest"
fi
PERFTEST_CP="$PERFTEST_LIB/*"

# ---------------------------------------------------------------- brokers
RUN_WARREN=""; RUN_RABBIT=""
has "$BROKERS" warren && RUN_WARREN=1
has "$BROKERS" rabbitmq && RUN_RABBIT=1
NEED_RABBIT=$RUN_RABBIT
[ -n "$RUN_WARREN" ] && [ "${WARREN_PID:-}" = rabbitmq ] && NEED_RABBIT=1
WARREN_CPU_PID=""
WARREN_DESC=""
RABBIT_DESC=""

start_rabbit() {
  if [ -n "${RABBIT_PID:-}" ]; then
    is_uint "$RABBIT_PID" && alive "$RABBIT_PID" || die "RABBIT_PID=$RABBIT_PID is not a running process"
    port_open "$RABBIT_PORT" || die "RABBIT_PID is set but nothing listens on RABBIT_PORT=$RABBIT_PORT"
    RABBIT_BEAM_PID=$RABBIT_PID
    RABBIT_DESC="external RabbitMQ on port $RABBIT_PORT, pid $RABBIT_PID"
    return
  fi
  [ -x "$RABBIT_NODE_SH" ] || die "$RABBIT_NODE_SH not found (set RABBIT_NODE_SH)"
  port_open "$RABBIT_PORT" && die "RABBIT_PORT $RABBIT_PORT is already in use (another node? set RABBIT_PORT)"
  log "starting RabbitMQ on port $RABBIT_PORT"
  RABBIT_STARTED=1   # from here on cleanup stops it, even if start fails half-way
  "$RABBIT_NODE_SH" start "$RABBIT_PORT" >&2 || die "RabbitMQ did not start (logs: /tmp/rabbitmq-node-$RABBIT_PORT/log)"
  RABBIT_BEAM_PID=$("$RABBIT_NODE_SH" pid "$RABBIT_PORT")
  is_uint "$RABBIT_BEAM_PID" || die "cannot get the pid of the RabbitMQ node on port $RABBIT_PORT"
  local ver
  ver=$(rabbitmqctl -n "node$RABBIT_PORT@localhost" version 2>/dev/null || echo '?')
  RABBIT_DESC="RabbitMQ $ver on port $RABBIT_PORT, beam.smp pid $RABBIT_BEAM_PID"
  log "$RABBIT_DESC"
}

build_warren_if_needed() {
  [ -n "${BENCH_SKIP_BUILD:-}" ] && return
  local jar=broker/target/broker.jar stale=""
  if [ ! -f "$jar" ]; then stale="broker/target/broker.jar missing"
  elif [ -n "$(find pom.xml amqp-codec routing storage broker -newer "$jar" \
          \( -path '*/target' -prune \) -o -type f \( -path '*/src/main/*' -o -name pom.xml \) -print 2>/dev/null | head -1)" ]; then
    stale="sources newer than $jar"
  fi
  [ -z "$stale" ] && return
  log "building Warren ($stale): mvn -B -q -DskipTests -pl broker -am package"
  mvn -B -q -DskipTests -pl broker -am package || die "Warren build failed"
}

start_warren() {
  local ext_pid=${WARREN_PID:-}
  if [ -n "$ext_pid" ]; then
    if [ "$ext_pid" = rabbitmq ]; then ext_pid=$RABBIT_BEAM_PID; fi
    is_uint "$ext_pid" && alive "$ext_pid" || die "WARREN_PID=${WARREN_PID} is not a running process"
  else
    [ -z "${WARREN_CMD:-}" ] && build_warren_if_needed
    port_open "$WARREN_PORT" && die "WARREN_PORT $WARREN_PORT is already in use"
    port_open "$WARREN_HTTP_PORT" && die "WARREN_HTTP_PORT $WARREN_HTTP_PORT is already in use"
  fi
  local cmd=${WARREN_CMD:-}
  if [ -z "$cmd" ] && [ -z "$ext_pid" ]; then
    [ -f broker/target/broker.jar ] || die "broker/target/broker.jar not found (build failed or BENCH_SKIP_BUILD set)"
    # shellcheck disable=SC2016  # expanded by the bash -c below
    # bin/warren adds the JVM flags Chronicle Queue needs and execs java (so the pid is the JVM's)
    cmd='JAVA_OPTS="${WARREN_JAVA_OPTS:-}" bin/warren --amqp-port "$WARREN_PORT" --http-port "$WARREN_HTTP_PORT" --data-dir "$WARREN_DATA_DIR"'
  fi
  if [ -n "$cmd" ]; then
    export WARREN_DATA_DIR=$WORK/warren-data
    mkdir -p "$WARREN_DATA_DIR"
    log "starting Warren: $cmd"
    # own session: Ctrl-C on the terminal reaches only this script, whose trap stops Warren properly
    # (bash execs a simple command itself; for a compound one the CPU of its children is still counted)
    setsid bash -c "$cmd" >> "$WARREN_LOG" 2>&1 < /dev/null &   # >>: the backlog restart keeps the first log
    WARREN_STARTED_PID=$!
  fi
  local deadline=$((SECONDS + WARREN_START_TIMEOUT))
  until port_open "$WARREN_PORT"; do
    if [ -n "$WARREN_STARTED_PID" ] && ! kill -0 "$WARREN_STARTED_PID" 2>/dev/null; then
      wait "$WARREN_STARTED_PID" 2>/dev/null && rc=0 || rc=$?
      WARREN_STARTED_PID=""
      log "Warren exited (status $rc) before opening port $WARREN_PORT; last lines of its log (kept as bench/results/$STAMP-warren.log):"
      if [ -s "$WARREN_LOG" ]; then tail -n 40 "$WARREN_LOG" >&2; else log "(the log is empty)"; fi
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "Warren did not open AMQP port $WARREN_PORT within ${WARREN_START_TIMEOUT}s; last lines of its log (kept as bench/results/$STAMP-warren.log):"
      if [ -s "$WARREN_LOG" ]; then tail -n 40 "$WARREN_LOG" >&2; else log "(the log is empty)"; fi
      exit 1
    fi
    sleep 0.2
  done
  WARREN_CPU_PID=${ext_pid:-$WARREN_STARTED_PID}
  if [ -n "$ext_pid" ]; then
    WARREN_DESC="external broker on port $WARREN_PORT, CPU of pid $WARREN_CPU_PID (WARREN_PID=${WARREN_PID})"
  else
    WARREN_DESC="Warren on port $WARREN_PORT (http $WARREN_HTTP_PORT), pid $WARREN_CPU_PID"
  fi
  log "$WARREN_DESC"
}

# Warren first (fails fast), unless its side borrows the RabbitMQ node
if [ -n "$RUN_WARREN" ] && [ "${WARREN_PID:-}" != rabbitmq ]; then start_warren; fi
[ -n "$NEED_RABBIT" ] && start_rabbit
if [ -n "$RUN_WARREN" ] && [ "${WARREN_PID:-}" = rabbitmq ]; then start_warren; fi

# ---------------------------------------------------------------- scenarios
scenario_desc() {
  case $1 in
    a) echo "1 producer / 1 consumer, 12 B transient, auto-ack" ;;
    b) echo "1 producer / 1 consumer, 1 KiB transient, manual ack, prefetch 100" ;;
    c) echo "fanout exchange -> 10 queues x 1 consumer, 12 B transient, auto-ack" ;;
    d) echo "100 queues x (1 producer at 50 msg/s + 1 consumer), 1 KiB transient, manual ack, prefetch 100" ;;
    e) echo "TTL + DLX: 1 producer at 1000 msg/s -> queue with x-message-ttl 1000 ms -> expires into a 2nd queue -> 1 consumer; latency = expiry lag" ;;
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
    p) echo "-x 1 -y 1 -s 1024 -q 100 -c 100 -f persistent -ad false -u bench.persistent" ;;
    backlog) echo "publish -n $BACKLOG_MESSAGES -s 1024 -c 100; drain -n $BACKLOG_MESSAGES -q 100 (-u bench.backlog)" ;;
  esac
}
fanout_of() { [ "$1" = c ] && echo 10 || echo 1; }

mkdir -p "$RESULTS_DIR"
ROWS=$WORK/rows.tsv; : > "$ROWS"
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

# run_one SCENARIO BROKER PORT PID
run_one() {
  local sc=$1 broker=$2 port=$3 bpid=$4
  local id="bench-$sc-$broker" out=$WORK/$sc-$broker.out csv=$WORK/$sc-$broker.csv
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
  log "scenario $sc on $broker: $(scenario_desc "$sc") — ${WARMUP}s warm-up + ${SECONDS_MEASURED}s measured"
  : > "$csv"
  timeout --kill-after=10 $((total + 60)) "${cmd[@]}" > "$out" 2>&1 < /dev/null &
  PERFTEST_PID=$!
  local start_row=$WARMUP end_row=$((WARMUP + SECONDS_MEASURED)) rows lines
  local b0="" b1="" c0="" c1="" h0="" h1="" w0="" w1=""
  while kill -0 "$PERFTEST_PID" 2>/dev/null; do
    mapfile -t lines < "$csv"
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
    echo "==================== scenario $sc on $broker: $(scenario_desc "$sc")"
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
    printf '%s\t%s\tFAILED\t\t\t\t\t\t\t\t\t%s\n' "$sc" "$broker" "$note" >> "$ROWS"
    FAILED=1
    return
  fi
  # Window = CSV rows start_row+1 .. end_row. Each row has rates over its own interval; count = rate*dt.
  # p: the latency columns hold PerfTest's confirm latency (CSV columns 13-17); its consumer latency goes to the note
  awk -F, -v s="$start_row" -v e="$end_row" -v sc="$sc" -v br="$broker" -v fan="$(fanout_of "$sc")" -v conf="$([ "$sc" = p ] && echo 1 || echo 0)" \
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
      if (dur <= 0 || con <= 0) { printf "%s\t%s\tFAILED\t\t\t\t\t\t\t\t\tno messages consumed in the window\n", sc, br; exit }
      bcpu = bt / hz; ccpu = ct / hz
      # messages through the broker: deliveries consumed, or routed copies (published x fan-out) if more
      # were routed than consumed (a backlog built up, so the enqueue work was done for more messages)
      msgs = con; if (pub * fan > msgs) msgs = pub * fan
      note = ""
      if (pub > 0 && con < 0.9 * fan * pub) note = sprintf("backlog: consumed only %.0f%% of %spublished", 100 * con / (fan * pub), fan > 1 ? fan "x " : "")
      if (conf && m > 0) note = note (note != "" ? "; " : "") sprintf("consumer latency p50 %d us, p99 %d us", median(q50, m), median(q99, m))
      printf "%s\t%s\t%.0f\t%.0f\t%.0f\t%.0f\t%.2f\t%.0f\t%.2f\t%.0f\t%.1f\t%s\n", sc, br,
        pub / dur, con / dur, median(p50, n), median(p99, n),
        1e6 * bcpu / msgs, 100 * bcpu / wall, 1e6 * ccpu / msgs, (ht > 0 ? 100 * hb / ht : 0), dur, note }
  ' "$csv" >> "$ROWS"
  if tail -n 1 "$ROWS" | grep -q FAILED; then FAILED=1; fi
}

declare -A PORT_OF PID_OF
PORT_OF[warren]=$WARREN_PORT;  PID_OF[warren]=$WARREN_CPU_PID
PORT_OF[rabbitmq]=$RABBIT_PORT; PID_OF[rabbitmq]=$RABBIT_BEAM_PID
ORDER=(); [ -n "$RUN_WARREN" ] && ORDER+=(warren); [ -n "$RUN_RABBIT" ] && ORDER+=(rabbitmq)

# ---------------------------------------------------------------- backlog (not a steady-state run)
# Per broker: idle RSS; publish BACKLOG_MESSAGES persistent 1 KiB messages with confirms into a durable queue with
# no consumer; RSS and disk; stop the broker with the backlog in place and start it again on the same data (Warren:
# SIGTERM and its launcher again; RabbitMQ: rabbitmqctl stop_app / start_app, as rabbitmq-node.sh start would wipe
# the data), timed until a passive declare shows every message; drain with one consumer; RSS and disk again.
declare -A BK   # BK[broker,metric]
BACKLOG_QUEUE=bench.backlog
RABBIT_NODE=node$RABBIT_PORT@localhost
secs_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
kv() { awk -v k="$2" '$1 == k { print $2; exit }' "$1"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
# the broker's data directory, if this script knows it (not for an external broker)
data_dir_of() {
  if [ "$1" = rabbitmq ] || [ "${WARREN_PID:-}" = rabbitmq ]; then
    if [ -n "$RABBIT_STARTED" ]; then echo "/tmp/rabbitmq-node-$RABBIT_PORT/mnesia"; fi
  elif [ -n "$WARREN_STARTED_PID" ] && [ -z "${WARREN_PID:-}" ]; then
    echo "$WARREN_DATA_DIR"
  fi
}
disk_mib() {
  local d; d=$(data_dir_of "$1")
  if [ -n "$d" ] && [ -d "$d" ]; then du -sk "$d" 2>/dev/null | awk '{ printf "%.0f", $1 / 1024 }'; else echo "-"; fi
}
rss_mib() { mib "$(tree_rss_kib "${PID_OF[$1]}")"; }

# restart_broker BROKER PORT: stop it with the backlog in place, start it on the same data; time until the port opens
# and until a passive declare shows all messages. Returns 1 (with BK[broker,note]) if that did not happen.
restart_broker() {
  local br=$1 port=$2 out=$WORK/backlog-$1-probe.out t0 t1
  if [ "$br" = warren ] && [ -n "$WARREN_STARTED_PID" ] && [ -z "${WARREN_PID:-}" ]; then
    t0=$EPOCHREALTIME; stop_warren; t1=$EPOCHREALTIME
  elif [ "$br" = rabbitmq ] && [ -n "$RABBIT_STARTED" ]; then
    t0=$EPOCHREALTIME
    rabbitmqctl -n "$RABBIT_NODE" stop_app > /dev/null 2>&1 || { BK[$br,note]="rabbitmqctl stop_app failed"; return 1; }
    t1=$EPOCHREALTIME
  else
    BK[$br,note]="not restarted (external broker)"; return 0
  fi
  BK[$br,stop_s]=$(secs_between "$t0" "$t1")
  for _ in $(seq 1 300); do port_open "$port" || break; sleep 0.1; done
  port_open "$port" && { BK[$br,note]="port $port still open 30 s after the stop"; return 1; }
  # the probe's JVM is up before the broker starts, so its own start-up is not in the time
  local -a jopts; read -r -a jopts <<< "${PERFTEST_JAVA_OPTS:-}"
  timeout --kill-after=10 600 java "${jopts[@]}" -cp "$DRIVER_CLASSES:$PERFTEST_CP" io.warren.bench.load.BacklogDriver probe \
    -h "amqp://guest:guest@127.0.0.1:$port" -u "$BACKLOG_QUEUE" -n "$BACKLOG_MESSAGES" --timeout 300 > "$out" 2>&1 < /dev/null &
  PROBE_PID=$!
  for _ in $(seq 1 600); do grep -q '^ready' "$out" && break; kill -0 "$PROBE_PID" 2>/dev/null || break; sleep 0.1; done
  grep -q '^ready' "$out" || { BK[$br,note]="restart probe did not start: $(tail -n 1 "$out")"; return 1; }
  log "backlog on $br: stopped in ${BK[$br,stop_s]} s; starting it again on the same data"
  t0=$EPOCHREALTIME
  if [ "$br" = warren ]; then
    BENCH_SKIP_BUILD=1 start_warren   # exits the script if Warren does not come back
    PID_OF[warren]=$WARREN_CPU_PID
  else
    rabbitmqctl -n "$RABBIT_NODE" start_app > /dev/null 2>&1 || { BK[$br,note]="rabbitmqctl start_app failed"; return 1; }
  fi
  local prc=0; wait "$PROBE_PID" || prc=$?
  PROBE_PID=""
  { echo "---- restart probe on $br (broker start at $t0, exit status $prc)"; cat "$out"; } >> "$RAW"
  local port_us full_us
  port_us=$(kv "$out" port); full_us=$(kv "$out" full)
  [ -n "$port_us" ] && BK[$br,restart_port_s]=$(awk -v a="$t0" -v b="$port_us" 'BEGIN { printf "%.2f", b / 1e6 - a }')
  if [ "$prc" != 0 ] || [ -z "$full_us" ]; then
    BK[$br,note]="after the restart the queue did not show $BACKLOG_MESSAGES messages within 300 s: $(grep -m1 timeout "$out" || tail -n 1 "$out")"
    return 1
  fi
  BK[$br,restart_s]=$(awk -v a="$t0" -v b="$full_us" 'BEGIN { printf "%.2f", b / 1e6 - a }')
  if [ "$br" = rabbitmq ]; then   # start_app's time includes the rabbitmqctl CLI's own start; show what that costs
    t0=$EPOCHREALTIME; rabbitmqctl -n "$RABBIT_NODE" eval 'ok.' > /dev/null 2>&1 || true; t1=$EPOCHREALTIME
    BK[$br,note]="the restart time includes the rabbitmqctl CLI's start (a no-op 'rabbitmqctl eval' takes $(secs_between "$t0" "$t1") s)"
  fi
}

# run_backlog BROKER PORT
run_backlog() {
  local br=$1 port=$2 n=$BACKLOG_MESSAGES out=$WORK/backlog-$1 b0 b1 rc
  BK[$br,ran]=1
  log "scenario backlog on $br: $(scenario_desc backlog)"
  backlog_driver "$port" delete -u "$BACKLOG_QUEUE" > "$out-delete.out" 2>&1 || true
  sleep "$PAUSE"
  BK[$br,rss_idle]=$(rss_mib "$br"); BK[$br,disk_idle]=$(disk_mib "$br")
  b0=$(tree_ticks "${PID_OF[$br]}")
  rc=0; backlog_driver "$port" publish -u "$BACKLOG_QUEUE" -n "$n" -s 1024 -c 100 --timeout $((600 + n / 250)) > "$out-publish.out" || rc=$?
  b1=$(tree_ticks "${PID_OF[$br]}")
  { echo "==================== backlog on $br: publish (exit status $rc)"; cat "$out-publish.out"; } >> "$RAW"
  if [ "$rc" != 0 ] || [ -z "$(kv "$out-publish.out" rate)" ]; then
    BK[$br,note]="FAILED: publish (exit $rc)"; FAILED=1
    backlog_driver "$port" delete -u "$BACKLOG_QUEUE" >> "$RAW" 2>&1 || true
    return
  fi
  BK[$br,pub_rate]=$(kv "$out-publish.out" rate); BK[$br,pub_s]=$(kv "$out-publish.out" seconds)
  BK[$br,pub_cpu]=$(awk -v t="$((b1 - b0))" -v hz="$CLK_TCK" -v n="$n" 'BEGIN { printf "%.2f", 1e6 * t / hz / n }')
  local blocked; blocked=$(kv "$out-publish.out" blocked_seconds)
  if awk -v b="${blocked:-0}" 'BEGIN { exit !(b > 0) }'; then BK[$br,pub_note]="publisher blocked (connection.blocked) for $blocked s"; fi
  log "backlog on $br: published $n in ${BK[$br,pub_s]} s (${BK[$br,pub_rate]} msg/s)"
  sleep "$PAUSE"
  BK[$br,rss_full]=$(rss_mib "$br"); BK[$br,disk_full]=$(disk_mib "$br")
  BK[$br,rss_growth]=$((${BK[$br,rss_full]} - ${BK[$br,rss_idle]}))
  if restart_broker "$br" "$port"; then
    [ -n "${BK[$br,restart_s]:-}" ] && log "backlog on $br: restarted, all $n messages there after ${BK[$br,restart_s]} s"
  else
    log "backlog on $br: restart FAILED: ${BK[$br,note]}"; FAILED=1
    port_open "$port" || return
  fi
  sleep "$PAUSE"
  BK[$br,rss_restarted]=$(rss_mib "$br")
  # drain what the queue holds (all n unless the restart lost some; the note says so)
  local count=""
  backlog_driver "$port" count -u "$BACKLOG_QUEUE" > "$out-count.out" 2>&1 && count=$(kv "$out-count.out" count)
  if ! is_uint "${count:-}" || [ "$count" = 0 ]; then
    BK[$br,note]="${BK[$br,note]:+${BK[$br,note]}; }FAILED: no messages to drain (count '${count:-}')"; FAILED=1
    return
  fi
  [ "$count" = "$n" ] || { BK[$br,note]="${BK[$br,note]:+${BK[$br,note]}; }queue held $count of $n messages before the drain"; FAILED=1; }
  b0=$(tree_ticks "${PID_OF[$br]}")
  rc=0; backlog_driver "$port" drain -u "$BACKLOG_QUEUE" -n "$count" -q 100 --timeout $((600 + n / 250)) > "$out-drain.out" || rc=$?
  b1=$(tree_ticks "${PID_OF[$br]}")
  { echo "==================== backlog on $br: drain (exit status $rc)"; cat "$out-drain.out"; } >> "$RAW"
  if [ "$rc" != 0 ] || [ -z "$(kv "$out-drain.out" rate)" ]; then
    BK[$br,note]="${BK[$br,note]:+${BK[$br,note]}; }FAILED: drain (exit $rc)"; FAILED=1
  else
    BK[$br,drain_rate]=$(kv "$out-drain.out" rate); BK[$br,drain_s]=$(kv "$out-drain.out" seconds)
    BK[$br,drain_cpu]=$(awk -v t="$((b1 - b0))" -v hz="$CLK_TCK" -v n="$count" 'BEGIN { printf "%.2f", 1e6 * t / hz / n }')
    log "backlog on $br: drained $count in ${BK[$br,drain_s]} s (${BK[$br,drain_rate]} msg/s)"
  fi
  sleep "$PAUSE"
  BK[$br,rss_drained]=$(rss_mib "$br"); BK[$br,disk_drained]=$(disk_mib "$br")
  backlog_driver "$port" delete -u "$BACKLOG_QUEUE" >> "$RAW" 2>&1 || true
}

first=1
for sc in a b c d e p backlog; do
  has "$ONLY" "$sc" || continue
  for br in "${ORDER[@]}"; do
    [ -n "$first" ] || sleep "$PAUSE"; first=""
    alive "${PID_OF[$br]}" || die "$br (pid ${PID_OF[$br]}) is no longer running"
    if [ "$sc" = backlog ]; then run_backlog "$br" "${PORT_OF[$br]}"
    else run_one "$sc" "$br" "${PORT_OF[$br]}" "${PID_OF[$br]}"; fi
  done
done

# ---------------------------------------------------------------- report
report_backlog() {
  local br m label
  echo
  echo "backlog: $BACKLOG_MESSAGES persistent 1 KiB messages, durable queue $BACKLOG_QUEUE (BacklogDriver; RSS = VmRSS of the"
  echo "broker pid and its descendants; disk = du of its data directory; restart = from the start command until a"
  echo "passive declare shows every message; the drain runs after the restart, so it reads a recovered backlog):"
  printf '%-50s %12s %12s %16s\n' metric warren rabbitmq warren/rabbitmq
  local metrics=(
    "pub_rate|publish, first publish to last confirm (msg/s)" "pub_s|publish time (s)"
    "pub_cpu|broker CPU per message, publish (us)"
    "rss_idle|RSS idle, before publishing (MiB)" "rss_full|RSS with the backlog (MiB)"
    "rss_growth|RSS growth with the backlog (MiB)"
    "disk_idle|data dir on disk, idle (MiB)" "disk_full|data dir on disk with the backlog (MiB)"
    "stop_s|stop with the backlog (s)" "restart_port_s|restart: AMQP port accepts (s)"
    "restart_s|restart: declare shows all messages (s)" "rss_restarted|RSS after the restart (MiB)"
    "drain_rate|drain, 1 consumer (msg/s)" "drain_s|drain time (s)" "drain_cpu|broker CPU per message, drain (us)"
    "rss_drained|RSS after the drain (MiB)" "disk_drained|data dir on disk after the drain (MiB)")
  for m in "${metrics[@]}"; do
    label=${m#*|}; m=${m%%|*}
    printf '%-50s %12s %12s %16s\n' "$label" "${BK[warren,$m]:--}" "${BK[rabbitmq,$m]:--}" \
      "$(awk -v x="${BK[warren,$m]:-}" -v y="${BK[rabbitmq,$m]:-}" \
         'BEGIN { if (x ~ /^-?[0-9.]+$/ && y ~ /^[0-9.]+$/ && y > 0) printf "%.2f", x / y; else print "-" }')"
  done
  for br in "${ORDER[@]}"; do
    [ -n "${BK[$br,ran]:-}" ] || continue
    local note=${BK[$br,pub_note]:-}
    [ -n "${BK[$br,note]:-}" ] && note="${note:+$note; }${BK[$br,note]}"
    [ -n "$note" ] && echo "$br: $note"
  done
  return 0
}
report() {
  echo "Warren vs RabbitMQ side-by-side load benchmark — $(date '+%Y-%m-%d %H:%M:%S %Z')"
  echo "repo $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (dirty)'), PerfTest $perftest_version, $(java -version 2>&1 | head -1)"
  echo "host: $NCPU cores, load avg before report $(cut -d' ' -f1-3 /proc/loadavg); window ${SECONDS_MEASURED}s after ${WARMUP}s warm-up"
  [ -n "$RUN_WARREN" ] && echo "warren:   $WARREN_DESC"
  [ -n "$RUN_RABBIT" ] && echo "rabbitmq: $RABBIT_DESC"
  echo
  echo "scenarios:"
  for sc in a b c d e p backlog; do
    has "$ONLY" "$sc" || continue
    printf '  %s  %s\n      %s %s\n' "$sc" "$(scenario_desc "$sc")" \
      "$(case $sc in e) echo TtlExpiryDriver ;; backlog) echo BacklogDriver ;; *) echo PerfTest ;; esac)" "$(scenario_args "$sc")"
  done
  if [ -s "$ROWS" ]; then
    echo
    printf '%-3s %-9s %10s %10s %9s %9s %11s %8s %11s %6s  %s\n' \
      sc broker "pub msg/s" "cons msg/s" "p50 us" "p99 us" "brk us/msg" "brk cpu%" "cli us/msg" "host%" note
    awk -F'\t' '{
      if ($3 == "FAILED") { printf "%-3s %-9s %10s  %s\n", $1, $2, "FAILED", $12; next }
      printf "%-3s %-9s %10d %10d %9d %9d %11.2f %8d %11.2f %6d  %s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $12 }' "$ROWS"
    if [ -n "$RUN_WARREN" ] && [ -n "$RUN_RABBIT" ]; then
      echo
      echo "ratios warren/rabbitmq (throughput > 1: Warren faster; cpu/msg and latency < 1: Warren better):"
      printf '%-3s %9s %10s %11s %8s %8s\n' sc "pub" "cons" "brk us/msg" "p50" "p99"
      awk -F'\t' '
        function r(x, y) { return (y > 0 && x != "" && y != "") ? sprintf("%.2f", x / y) : "-" }
        $3 != "FAILED" { for (i = 3; i <= 7; i++) v[$1, $2, i] = $i }
        { seen[$1] = 1; if (!($1 in order)) { order[$1] = ++k; ids[k] = $1 } }
        END { for (j = 1; j <= k; j++) { s = ids[j]
                if (!((s, "warren", 3) in v) || !((s, "rabbitmq", 3) in v)) { printf "%-3s %9s\n", s, "n/a"; continue }
                printf "%-3s %9s %10s %11s %8s %8s\n", s, r(v[s,"warren",3], v[s,"rabbitmq",3]), r(v[s,"warren",4], v[s,"rabbitmq",4]),
                       r(v[s,"warren",7], v[s,"rabbitmq",7]), r(v[s,"warren",5], v[s,"rabbitmq",5]), r(v[s,"warren",6], v[s,"rabbitmq",6]) } }' "$ROWS"
    fi
  fi
  if has "$ONLY" backlog; then report_backlog; fi
  [ -s "$ROWS" ] || return 0
  echo
  echo "columns: pub/cons = messages published/consumed per second in the window (cons counts every delivery,"
  echo "  so fanout 'c' consumes 10x what it publishes); p50/p99 = median over the window's 1-s intervals of"
  echo "  PerfTest's per-interval consumer latency percentiles (for e: the expiry lag, i.e. how long after its TTL ran"
  echo "  out a message reached the dead-letter consumer; for p: PerfTest's confirm latency, publish to confirm,"
  echo "  its consumer latency is in the note); brk us/msg = broker utime+stime (/proc, pid and"
  echo "  descendants) / messages consumed (or / published x fan-out if larger: backlog);"
  echo "  brk cpu% = broker CPU over the window (100 = one core); cli us/msg = the same as brk us/msg for"
  echo "  PerfTest itself; host% = whole machine busy (all $NCPU cores = 100)."
}
{ report; echo; echo "#################### raw PerfTest output"; cat "$RAW"; } > "$RESULT_FILE"
echo
report
echo
echo "results (with raw PerfTest output): $RESULT_FILE"
[ "$FAILED" = 0 ] || { log "some runs failed; see $RESULT_FILE"; exit 1; }
