# shellcheck shell=bash
# Sourced by bench/run.sh (not run): starts, stops and restarts the brokers under test, Warren, a private RabbitMQ
# 3.10 node (RABBIT_NODE_SH) and a private LavinMQ 1.2.11 node (LAVINMQ_SH), and tells their pids and data
# directories. start_brokers starts every broker of BROKER_LIST fresh (empty data), stop_brokers stops what it started;
# run.sh calls them once per round, and stop_brokers from its EXIT trap too. A broker given by pid (WARREN_PID,
# RABBIT_PID, LAVINMQ_PID) is used as it is: never started, restarted or stopped.
#
# After start_brokers: PID_OF[broker] is the pid whose process tree is the broker (CPU, RSS), PORT_OF[broker] its
# AMQP port, DESC_OF[broker] one line about it.

declare -A PID_OF PORT_OF DESC_OF
PORT_OF[warren]=$WARREN_PORT; PORT_OF[rabbitmq]=$RABBIT_PORT; PORT_OF[lavinmq]=$LAVINMQ_PORT
WARREN_STARTED_PID=""     # process we launched for Warren (its own session/process group)
RABBIT_STARTED=""         # set once we started the private RabbitMQ node
RABBIT_BEAM_PID=""
LAVIN_STARTED=""          # set once we started the private LavinMQ node
LAVIN_PID=""              # its pid (lavinmq.sh starts it with setsid: a session and process group leader)
LAVIN_ARGV=()             # its command line, to start it again on the same data (lavinmq.sh start wipes the data)
LAVIN_DATA=""             # its --data-dir
RABBIT_NODE=node$RABBIT_PORT@localhost
export WARREN_DATA_DIR=$WORK/warren-data

# ---------------------------------------------------------------- Warren
build_warren_if_needed() {
  [ -n "${BENCH_SKIP_BUILD:-}" ] && return
  local jar=broker/target/broker.jar stale=""
  if [ ! -f "$jar" ]; then stale="broker/target/broker.jar missing"
  elif [ -n "$(find pom.xml amqp-codec routing storage broker \( -path '*/target' -prune \) \
          -o -type f \( -path '*/src/main/*' -o -name pom.xml \) -newer "$jar" -print 2>/dev/null | head -1)" ]; then
    stale="sources newer than $jar"
  fi
  [ -z "$stale" ] && return
  log "building Warren ($stale): mvn -B -q -DskipTests -pl broker -am package"
  mvn -B -q -DskipTests -pl broker -am package || die "Warren build failed"
}

# start_warren: on the data in $WARREN_DATA_DIR as it is (start_brokers empties it first; the backlog restart does not)
start_warren() {
  local ext_pid=${WARREN_PID:-}
  if [ -n "$ext_pid" ]; then
    if [ "$ext_pid" = rabbitmq ]; then ext_pid=$RABBIT_BEAM_PID; fi
    { is_uint "$ext_pid" && alive "$ext_pid"; } || die "WARREN_PID=${WARREN_PID} is not a running process"
  else
    port_open "$WARREN_PORT" && die "WARREN_PORT $WARREN_PORT is already in use"
    port_open "$WARREN_HTTP_PORT" && die "WARREN_HTTP_PORT $WARREN_HTTP_PORT is already in use"
  fi
  local cmd=${WARREN_CMD:-}
  if [ -z "$cmd" ] && [ -z "$ext_pid" ]; then
    [ -f broker/target/broker.jar ] || die "broker/target/broker.jar not found (build failed or BENCH_SKIP_BUILD set)"
    # shellcheck disable=SC2016  # expanded by the bash -c below
    # bin/warren adds the JVM flags Chronicle Queue needs and execs java (so the pid is the JVM's)
    # WARREN_NO_BUILD: bin/warren would otherwise rebuild the jar at a restart (backlog) if a source file was
    # edited since the build above, and the rest of the run would measure other code
    cmd='JAVA_OPTS="${WARREN_JAVA_OPTS:-}" WARREN_NO_BUILD=1 bin/warren --amqp-port "$WARREN_PORT" --http-port "$WARREN_HTTP_PORT" --data-dir "$WARREN_DATA_DIR"'
  fi
  if [ -n "$cmd" ]; then
    mkdir -p "$WARREN_DATA_DIR"
    log "starting Warren: $cmd"
    echo "---- $(date '+%H:%M:%S') bench: starting Warren" >> "$WARREN_LOG"
    # own session: Ctrl-C on the terminal reaches only this script, whose trap stops Warren properly
    # (bash execs a simple command itself; for a compound one the CPU of its children is still counted)
    setsid bash -c "$cmd" >> "$WARREN_LOG" 2>&1 < /dev/null &   # >>: every start of a run goes to one log
    WARREN_STARTED_PID=$!
  fi
  local deadline=$((SECONDS + WARREN_START_TIMEOUT)) rc
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
  PID_OF[warren]=${ext_pid:-$WARREN_STARTED_PID}
  if [ -n "$ext_pid" ]; then
    DESC_OF[warren]="external broker on port $WARREN_PORT, CPU of pid ${PID_OF[warren]} (WARREN_PID=${WARREN_PID})"
  else
    DESC_OF[warren]="Warren on port $WARREN_PORT (http $WARREN_HTTP_PORT), pid ${PID_OF[warren]}"
  fi
  log "${DESC_OF[warren]}"
}
stop_warren() {
  local pid=$WARREN_STARTED_PID
  WARREN_STARTED_PID=""
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then return 0; fi
  log "stopping Warren (pid $pid)"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    log "Warren did not stop in 15 s; killing it"
    kill_tree "$pid"
  fi
  wait "$pid" 2>/dev/null || true
}

# ---------------------------------------------------------------- RabbitMQ
start_rabbit() {
  if [ -n "${RABBIT_PID:-}" ]; then
    { is_uint "$RABBIT_PID" && alive "$RABBIT_PID"; } || die "RABBIT_PID=$RABBIT_PID is not a running process"
    port_open "$RABBIT_PORT" || die "RABBIT_PID is set but nothing listens on RABBIT_PORT=$RABBIT_PORT"
    RABBIT_BEAM_PID=$RABBIT_PID
    PID_OF[rabbitmq]=$RABBIT_PID
    DESC_OF[rabbitmq]="external RabbitMQ on port $RABBIT_PORT, pid $RABBIT_PID"
    return
  fi
  [ -x "$RABBIT_NODE_SH" ] || die "$RABBIT_NODE_SH not found (set RABBIT_NODE_SH)"
  port_open "$RABBIT_PORT" && die "RABBIT_PORT $RABBIT_PORT is already in use (another node? set RABBIT_PORT)"
  log "starting RabbitMQ on port $RABBIT_PORT"
  RABBIT_STARTED=1   # from here on cleanup stops it, even if start fails half-way
  "$RABBIT_NODE_SH" start "$RABBIT_PORT" >&2 || die "RabbitMQ did not start (logs: /tmp/rabbitmq-node-$RABBIT_PORT/log)"
  RABBIT_BEAM_PID=$("$RABBIT_NODE_SH" pid "$RABBIT_PORT")
  is_uint "$RABBIT_BEAM_PID" || die "cannot get the pid of the RabbitMQ node on port $RABBIT_PORT"
  PID_OF[rabbitmq]=$RABBIT_BEAM_PID
  local ver
  ver=$(rabbitmqctl -n "$RABBIT_NODE" version 2>/dev/null || echo '?')
  DESC_OF[rabbitmq]="RabbitMQ $ver on port $RABBIT_PORT, beam.smp pid $RABBIT_BEAM_PID"
  log "${DESC_OF[rabbitmq]}"
}
stop_rabbit() {
  [ -n "$RABBIT_STARTED" ] || return 0
  RABBIT_STARTED=""
  [ -n "$RABBIT_BEAM_PID" ] || RABBIT_BEAM_PID=$("$RABBIT_NODE_SH" pid "$RABBIT_PORT" 2>/dev/null || true)
  is_uint "$RABBIT_BEAM_PID" || RABBIT_BEAM_PID=""
  log "stopping RabbitMQ node on port $RABBIT_PORT (pid ${RABBIT_BEAM_PID:-?})"
  "$RABBIT_NODE_SH" stop "$RABBIT_PORT" >/dev/null 2>&1 || true
  if [ -n "$RABBIT_BEAM_PID" ]; then
    for _ in $(seq 1 300); do alive "$RABBIT_BEAM_PID" || break; sleep 0.1; done
    if alive "$RABBIT_BEAM_PID"; then
      log "RabbitMQ did not stop in 30 s; killing pid $RABBIT_BEAM_PID and its children"
      kill_tree "$RABBIT_BEAM_PID"
    fi
  fi
  RABBIT_BEAM_PID=""
}

# ---------------------------------------------------------------- LavinMQ
# LavinMQ 1.2.11 is one process (Crystal, no children), but its whole tree is accounted and stopped all the same.
# lavinmq.sh start: wipes /tmp/lavinmq-PORT, starts the binary with setsid in the background (so it leads its own
# session and process group and Ctrl-C on the terminal does not reach it), writes its pid to /tmp/lavinmq-PORT/pid,
# waits for the port and prints the pid. lavinmq.sh stop: SIGTERM, waits at most 10 s, no SIGKILL.
start_lavin() {
  if [ -n "${LAVINMQ_PID:-}" ]; then
    { is_uint "$LAVINMQ_PID" && alive "$LAVINMQ_PID"; } || die "LAVINMQ_PID=$LAVINMQ_PID is not a running process"
    port_open "$LAVINMQ_PORT" || die "LAVINMQ_PID is set but nothing listens on LAVINMQ_PORT=$LAVINMQ_PORT"
    PID_OF[lavinmq]=$LAVINMQ_PID
    DESC_OF[lavinmq]="external LavinMQ on port $LAVINMQ_PORT, pid $LAVINMQ_PID"
    return
  fi
  [ -x "$LAVINMQ_SH" ] || die "$LAVINMQ_SH not found (set LAVINMQ_SH)"
  local p
  for p in "$LAVINMQ_PORT" $((LAVINMQ_PORT + 10000)); do
    port_open "$p" && die "port $p (LAVINMQ_PORT $LAVINMQ_PORT or its HTTP port +10000) is already in use (set LAVINMQ_PORT)"
  done
  log "starting LavinMQ on port $LAVINMQ_PORT"
  LAVIN_STARTED=1   # from here on cleanup stops it, even if start fails half-way
  local out
  out=$("$LAVINMQ_SH" start "$LAVINMQ_PORT") || die "LavinMQ did not start (log: /tmp/lavinmq-$LAVINMQ_PORT/log)"
  LAVIN_PID=${out##*$'\n'}
  { is_uint "$LAVIN_PID" && alive "$LAVIN_PID"; } || die "cannot get the pid of the LavinMQ node on port $LAVINMQ_PORT (got '$out')"
  mapfile -d '' -t LAVIN_ARGV < "/proc/$LAVIN_PID/cmdline"
  LAVIN_DATA=""
  for p in "${LAVIN_ARGV[@]}"; do [[ $p == --data-dir=* ]] && LAVIN_DATA=${p#--data-dir=}; done
  PID_OF[lavinmq]=$LAVIN_PID
  DESC_OF[lavinmq]="LavinMQ $("${LAVIN_ARGV[0]}" --version 2>/dev/null | head -1 || echo '?') on port $LAVINMQ_PORT, pid $LAVIN_PID, data ${LAVIN_DATA:-?}"
  log "${DESC_OF[lavinmq]}"
}
# the pid of the LavinMQ we started: the one we know, else lavinmq.sh's pid file (a start interrupted before we read it)
lavin_pid() {
  local pid=$LAVIN_PID
  [ -n "$pid" ] || pid=$("$LAVINMQ_SH" pid "$LAVINMQ_PORT" 2>/dev/null || true)
  is_uint "$pid" && echo "$pid"
  return 0
}
# lavin_term: SIGTERM, wait up to 30 s, then SIGKILL the tree; the data stays. Returns 1 if it had to be killed.
lavin_term() {
  local pid rc=0; pid=$(lavin_pid)
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do alive "$pid" || break; sleep 0.1; done
  if alive "$pid"; then
    log "LavinMQ (pid $pid) did not stop in 30 s; killing it"
    kill_tree "$pid"; rc=1
  fi
  wait "$pid" 2>/dev/null || true   # our child only after a backlog restart
  rm -f "/tmp/lavinmq-$LAVINMQ_PORT/pid"   # as lavinmq.sh stop does: a stale pid must never be signalled later
  LAVIN_PID=""
  return "$rc"
}
stop_lavin() {
  [ -n "$LAVIN_STARTED" ] || return 0
  LAVIN_STARTED=""
  log "stopping LavinMQ on port $LAVINMQ_PORT (pid $(lavin_pid))"
  lavin_term || true
  local base=/tmp/lavinmq-$LAVINMQ_PORT
  if [ -s "$base/log" ]; then cat "$base/log" >> "$LAVIN_LOG" 2>/dev/null || true; fi
  # its data: up to a GiB after a backlog run; lavinmq.sh start wipes it anyway
  if [ -n "$LAVIN_DATA" ] && [ -d "$LAVIN_DATA" ]; then rm -rf "$LAVIN_DATA"; fi
}
# lavin_restart_on_data: start LavinMQ again as lavinmq.sh does, on the data it left (after lavin_term). Does not wait.
lavin_restart_on_data() {
  local base=/tmp/lavinmq-$LAVINMQ_PORT
  LAVIN_STARTED=1
  # CONFIGURATION_DIRECTORY as lavinmq.sh sets it: no /etc/lavinmq config is read
  CONFIGURATION_DIRECTORY=/nonexistent setsid "${LAVIN_ARGV[@]}" < /dev/null >> "$base/log" 2>&1 &
  LAVIN_PID=$!   # setsid does not fork here: a background job of a script does not lead a process group
  echo "$LAVIN_PID" > "$base/pid"   # so that lavinmq.sh stop|pid PORT still find it
  PID_OF[lavinmq]=$LAVIN_PID
  DESC_OF[lavinmq]="${DESC_OF[lavinmq]%%, pid *}, pid $LAVIN_PID, data ${LAVIN_DATA:-?} (restarted by the backlog scenario)"
}

# ---------------------------------------------------------------- all of them
# start_brokers: every broker of BROKER_LIST fresh, on empty data. Warren first (it fails fast), unless its side
# borrows the RabbitMQ node (WARREN_PID=rabbitmq).
start_brokers() {
  if [ -n "$RUN_WARREN" ] && [ "${WARREN_PID:-}" != rabbitmq ]; then rm -rf "$WARREN_DATA_DIR"; start_warren; fi
  if [ -n "$NEED_RABBIT" ]; then start_rabbit; fi
  if [ -n "$RUN_WARREN" ] && [ "${WARREN_PID:-}" = rabbitmq ]; then start_warren; fi
  if [ -n "$RUN_LAVIN" ]; then start_lavin; fi
  return 0
}
stop_brokers() {
  stop_warren
  stop_rabbit
  stop_lavin
}

# the broker's data directory, if this script knows it (not for an external broker)
data_dir_of() {
  if [ "$1" = rabbitmq ] || { [ "$1" = warren ] && [ "${WARREN_PID:-}" = rabbitmq ]; }; then
    if [ -n "$RABBIT_STARTED" ]; then echo "/tmp/rabbitmq-node-$RABBIT_PORT/mnesia"; fi
  elif [ "$1" = lavinmq ]; then
    if [ -n "$LAVIN_STARTED" ]; then echo "$LAVIN_DATA"; fi
  elif [ -n "$WARREN_STARTED_PID" ] && [ -z "${WARREN_PID:-}" ]; then
    echo "$WARREN_DATA_DIR"
  fi
}
