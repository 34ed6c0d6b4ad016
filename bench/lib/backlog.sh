# shellcheck shell=bash
# Sourced by bench/run.sh (not run): the backlog scenario, which is not a steady-state run.
# Per broker: idle RSS; publish BACKLOG_MESSAGES persistent 1 KiB messages with confirms into a durable queue with
# no consumer; RSS (after BENCH_IDLE seconds at rest, as for the idle reading) and disk; stop the broker with the backlog in place and start it again on the same data (Warren:
# SIGTERM and its launcher again; RabbitMQ: rabbitmqctl stop_app / start_app, as rabbitmq-node.sh start would wipe
# the data; LavinMQ: SIGTERM and its binary again with the same arguments, as lavinmq.sh start would wipe the data),
# timed until a passive declare shows every message; drain with one consumer; RSS and disk again.
# Each figure goes to $BACKLOG_METRICS (label, broker, round, value: report.sh's median_table), notes to
# $BACKLOG_NOTES.

declare -A BK   # BK[broker,metric] of the current round
BACKLOG_QUEUE=bench.backlog
BACKLOG_METRICS=$WORK/backlog-metrics.tsv; : > "$BACKLOG_METRICS"
BACKLOG_NOTES=$WORK/backlog-notes.txt; : > "$BACKLOG_NOTES"
BACKLOG_LABELS=(
  "pub_rate|publish, first publish to last confirm (msg/s)" "pub_s|publish time (s)"
  "pub_cpu|broker CPU per message, publish (us)"
  "rss_idle|RSS idle, before publishing (MiB)" "rss_full|RSS with the backlog (MiB)"
  "rss_growth|RSS growth with the backlog (MiB)"
  "disk_idle|data dir on disk, idle (MiB)" "disk_full|data dir on disk with the backlog (MiB)"
  "stop_s|stop with the backlog (s)" "restart_port_s|restart: AMQP port accepts (s)"
  "restart_s|restart: declare shows all messages (s)" "rss_restarted|RSS after the restart (MiB)"
  "drain_rate|drain, 1 consumer (msg/s)" "drain_s|drain time (s)" "drain_cpu|broker CPU per message, drain (us)"
  "rss_drained|RSS after the drain (MiB)" "disk_drained|data dir on disk after the drain (MiB)")

kv() { awk -v k="$2" '$1 == k { print $2; exit }' "$1"; }
disk_mib() {
  local d; d=$(data_dir_of "$1")
  if [ -n "$d" ] && [ -d "$d" ]; then du -sk "$d" 2>/dev/null | awk '{ printf "%.0f", $1 / 1024 }'; else echo "-"; fi
}
rss_mib() { mib "$(tree_rss_kib "${PID_OF[$1]}")"; }
bk_note() { BK[$1,note]="${BK[$1,note]:+${BK[$1,note]}; }$2"; }

# stop_for_restart BROKER: stop it with the backlog in place; sets BK[broker,stop_s]. 2: not ours to restart, 1: failed
stop_for_restart() {
  local br=$1 t0 t1
  t0=$EPOCHREALTIME
  if [ "$br" = warren ] && [ -n "$WARREN_STARTED_PID" ] && [ -z "${WARREN_PID:-}" ]; then
    stop_warren
  elif [ "$br" = rabbitmq ] && [ -n "$RABBIT_STARTED" ]; then
    rabbitmqctl -n "$RABBIT_NODE" stop_app > /dev/null 2>&1 || { bk_note "$br" "rabbitmqctl stop_app failed"; return 1; }
  elif [ "$br" = lavinmq ] && [ -n "$LAVIN_STARTED" ]; then
    lavin_term || bk_note "$br" "did not stop on SIGTERM in 30 s, killed"
  else
    return 2
  fi
  t1=$EPOCHREALTIME
  BK[$br,stop_s]=$(secs_between "$t0" "$t1")
}

# restart_broker BROKER PORT: stop it with the backlog in place, start it on the same data; time until the port opens
# and until a passive declare shows all messages. Returns 1 (with a note) if that did not happen.
restart_broker() {
  local br=$1 port=$2 out=$WORK/backlog-$1-probe.out t0 rc=0
  stop_for_restart "$br" || rc=$?
  if [ "$rc" = 2 ]; then bk_note "$br" "not restarted (external broker)"; return 0; fi
  [ "$rc" = 0 ] || return 1
  for _ in $(seq 1 300); do port_open "$port" || break; sleep 0.1; done
  port_open "$port" && { bk_note "$br" "port $port still open 30 s after the stop"; return 1; }
  # the probe's JVM is up before the broker starts, so its own start-up is not in the time
  local -a jopts; read -r -a jopts <<< "${PERFTEST_JAVA_OPTS:-}"
  timeout --kill-after=10 600 java "${jopts[@]}" -cp "$DRIVER_CLASSES:$PERFTEST_CP" io.warren.bench.load.BacklogDriver probe \
    -h "amqp://guest:guest@127.0.0.1:$port" -u "$BACKLOG_QUEUE" -n "$BACKLOG_MESSAGES" --timeout 300 > "$out" 2>&1 < /dev/null &
  PROBE_PID=$!
  for _ in $(seq 1 600); do grep -q '^ready' "$out" && break; kill -0 "$PROBE_PID" 2>/dev/null || break; sleep 0.1; done
  grep -q '^ready' "$out" || { bk_note "$br" "restart probe did not start: $(tail -n 1 "$out")"; return 1; }
  log "backlog on $br: stopped in ${BK[$br,stop_s]} s; starting it again on the same data"
  t0=$EPOCHREALTIME
  case $br in
    warren) BENCH_SKIP_BUILD=1 start_warren ;;   # exits the script if Warren does not come back
    rabbitmq) rabbitmqctl -n "$RABBIT_NODE" start_app > /dev/null 2>&1 || { bk_note "$br" "rabbitmqctl start_app failed"; return 1; } ;;
    lavinmq) lavin_restart_on_data ;;
  esac
  local prc=0; wait "$PROBE_PID" || prc=$?
  PROBE_PID=""
  { echo "---- restart probe on $br (broker start at $t0, exit status $prc)"; cat "$out"; } >> "$RAW"
  if [ "$br" = lavinmq ] && ! alive "${PID_OF[lavinmq]}"; then
    bk_note "$br" "LavinMQ exited after the restart (see bench/results/$STAMP-lavinmq.log)"; return 1
  fi
  local port_us full_us
  port_us=$(kv "$out" port); full_us=$(kv "$out" full)
  [ -n "$port_us" ] && BK[$br,restart_port_s]=$(awk -v a="$t0" -v b="$port_us" 'BEGIN { printf "%.2f", b / 1e6 - a }')
  if [ "$prc" != 0 ] || [ -z "$full_us" ]; then
    bk_note "$br" "after the restart the queue did not show $BACKLOG_MESSAGES messages within 300 s: $(grep -m1 timeout "$out" || tail -n 1 "$out")"
    return 1
  fi
  BK[$br,restart_s]=$(awk -v a="$t0" -v b="$full_us" 'BEGIN { printf "%.2f", b / 1e6 - a }')
  if [ "$br" = rabbitmq ]; then   # start_app's time includes the rabbitmqctl CLI's own start; show what that costs
    local t1
    t0=$EPOCHREALTIME; rabbitmqctl -n "$RABBIT_NODE" eval 'ok.' > /dev/null 2>&1 || true; t1=$EPOCHREALTIME
    bk_note "$br" "the restart time includes the rabbitmqctl CLI's start (a no-op 'rabbitmqctl eval' takes $(secs_between "$t0" "$t1") s)"
  fi
}

# run_backlog BROKER PORT ROUND
run_backlog() {
  local br=$1 port=$2 round=$3 m
  for m in "${!BK[@]}"; do [[ $m == "$br",* ]] && unset "BK[$m]"; done
  log "round $round: scenario backlog on $br: $(scenario_desc backlog)"
  backlog_phases "$br" "$port" "$round" "$BACKLOG_MESSAGES" "$WORK/backlog-$br"
  for m in "${BACKLOG_LABELS[@]}"; do
    [ -n "${BK[$br,${m%%|*}]:-}" ] && printf '%s\t%s\t%s\t%s\n' "${m#*|}" "$br" "$round" "${BK[$br,${m%%|*}]}" >> "$BACKLOG_METRICS"
  done
  local note=${BK[$br,pub_note]:-}
  [ -n "${BK[$br,note]:-}" ] && note="${note:+$note; }${BK[$br,note]}"
  [ -n "$note" ] && echo "round $round, $br: $note" >> "$BACKLOG_NOTES"
  return 0
}
backlog_phases() {
  local br=$1 port=$2 round=$3 n=$4 out=$5 b0 b1 rc
  backlog_driver "$port" delete -u "$BACKLOG_QUEUE" > "$out-delete.out" 2>&1 || true
  sleep "$PAUSE"
  BK[$br,rss_idle]=$(rss_mib "$br"); BK[$br,disk_idle]=$(disk_mib "$br")
  b0=$(tree_ticks "${PID_OF[$br]}")
  rc=0; backlog_driver "$port" publish -u "$BACKLOG_QUEUE" -n "$n" -s 1024 -c 100 --timeout $((600 + n / 250)) > "$out-publish.out" || rc=$?
  b1=$(tree_ticks "${PID_OF[$br]}")
  { echo "==================== round $round: backlog on $br: publish (exit status $rc)"; cat "$out-publish.out"; } >> "$RAW"
  if [ "$rc" != 0 ] || [ -z "$(kv "$out-publish.out" rate)" ]; then
    bk_note "$br" "FAILED: publish (exit $rc)"; FAILED=1
    backlog_driver "$port" delete -u "$BACKLOG_QUEUE" >> "$RAW" 2>&1 || true
    return
  fi
  BK[$br,pub_rate]=$(kv "$out-publish.out" rate); BK[$br,pub_s]=$(kv "$out-publish.out" seconds)
  BK[$br,pub_cpu]=$(awk -v t="$((b1 - b0))" -v hz="$CLK_TCK" -v n="$n" 'BEGIN { printf "%.2f", 1e6 * t / hz / n }')
  local blocked; blocked=$(kv "$out-publish.out" blocked_seconds)
  if awk -v b="${blocked:-0}" 'BEGIN { exit !(b > 0) }'; then BK[$br,pub_note]="publisher blocked (connection.blocked) for $blocked s"; fi
  log "backlog on $br: published $n in ${BK[$br,pub_s]} s (${BK[$br,pub_rate]} msg/s)"
  sleep "$IDLE_PAUSE" # the backlog at rest, as the idle reading is: not the publisher's garbage of 3 s ago
  BK[$br,rss_full]=$(rss_mib "$br"); BK[$br,disk_full]=$(disk_mib "$br")
  BK[$br,rss_growth]=$((${BK[$br,rss_full]} - ${BK[$br,rss_idle]}))
  if restart_broker "$br" "$port"; then
    [ -n "${BK[$br,restart_s]:-}" ] && log "backlog on $br: restarted, all $n messages there after ${BK[$br,restart_s]} s"
  else
    log "backlog on $br: restart FAILED: ${BK[$br,note]:-}"; FAILED=1
    port_open "$port" || return
  fi
  sleep "$PAUSE"
  BK[$br,rss_restarted]=$(rss_mib "$br")
  # drain what the queue holds (all n unless the restart lost some; the note says so)
  local count=""
  backlog_driver "$port" count -u "$BACKLOG_QUEUE" > "$out-count.out" 2>&1 && count=$(kv "$out-count.out" count)
  if ! is_uint "${count:-}" || [ "$count" = 0 ]; then
    bk_note "$br" "FAILED: no messages to drain (count '${count:-}')"; FAILED=1
    return
  fi
  [ "$count" = "$n" ] || { bk_note "$br" "queue held $count of $n messages before the drain"; FAILED=1; }
  b0=$(tree_ticks "${PID_OF[$br]}")
  rc=0; backlog_driver "$port" drain -u "$BACKLOG_QUEUE" -n "$count" -q 100 --timeout $((600 + n / 250)) > "$out-drain.out" || rc=$?
  b1=$(tree_ticks "${PID_OF[$br]}")
  { echo "==================== round $round: backlog on $br: drain (exit status $rc)"; cat "$out-drain.out"; } >> "$RAW"
  if [ "$rc" != 0 ] || [ -z "$(kv "$out-drain.out" rate)" ]; then
    bk_note "$br" "FAILED: drain (exit $rc)"; FAILED=1
  else
    BK[$br,drain_rate]=$(kv "$out-drain.out" rate); BK[$br,drain_s]=$(kv "$out-drain.out" seconds)
    BK[$br,drain_cpu]=$(awk -v t="$((b1 - b0))" -v hz="$CLK_TCK" -v n="$count" 'BEGIN { printf "%.2f", 1e6 * t / hz / n }')
    log "backlog on $br: drained $count in ${BK[$br,drain_s]} s (${BK[$br,drain_rate]} msg/s)"
  fi
  sleep "$PAUSE"
  BK[$br,rss_drained]=$(rss_mib "$br"); BK[$br,disk_drained]=$(disk_mib "$br")
  backlog_driver "$port" delete -u "$BACKLOG_QUEUE" >> "$RAW" 2>&1 || true
}

report_backlog() {
  echo
  echo "backlog: $BACKLOG_MESSAGES persistent 1 KiB messages, durable queue $BACKLOG_QUEUE (BacklogDriver; RSS = VmRSS of the"
  echo "broker pid and its descendants; disk = du of its data directory; restart = from the start command until a"
  echo "passive declare shows every message; the drain runs after the restart, so it reads a recovered backlog)$(rounds_note):"
  median_table "$BACKLOG_METRICS" 50
  if [ -s "$BACKLOG_NOTES" ]; then cat "$BACKLOG_NOTES"; fi
  return 0
}
