# shellcheck shell=bash
# Sourced by bench/run.sh (not run): the tables it prints at the end. Every run's row stays in the per-run table;
# the side-by-side tables give, per figure, the median over the rounds for each broker of BROKER_LIST and the
# ratios Warren / each other broker (ratios of the medians).

rounds_note() { if [ "$ROUNDS" -gt 1 ]; then echo ", medians over $ROUNDS rounds"; fi; }

# median_table FILE LABEL_WIDTH: FILE has lines "label<TAB>broker<TAB>round<TAB>value"; one line per label (in the
# order they first appear) with each broker's median and, if Warren ran, Warren/other for each other broker.
# A median over fewer runs than ROUNDS (a run failed) is marked '*'.
median_table() {
  awk -F'\t' -v brokers="${BROKER_LIST[*]}" -v rounds="$ROUNDS" -v lw="$2" '
    function median(a, n,   i, j, t) {
      for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    function fmt(x) { return (x == int(x)) ? sprintf("%d", x) : (x >= 100 || x <= -100) ? sprintf("%.0f", x) : sprintf("%.2f", x) }
    { if (!($1 in seen)) { seen[$1] = 1; labels[++nl] = $1 }
      if ($4 ~ /^-?[0-9.]+$/) { c = ++cnt[$1, $2]; val[$1, $2, c] = $4 } }
    END {
      nb = split(brokers, B, " "); w = 0
      for (i = 1; i <= nb; i++) if (B[i] == "warren") w = 1
      printf "%-" lw "s", "metric"
      for (i = 1; i <= nb; i++) printf " %12s", B[i]
      if (w) for (i = 1; i <= nb; i++) if (B[i] != "warren") printf " %11s", "w/" B[i]
      printf "\n"
      for (l = 1; l <= nl; l++) {
        k = labels[l]; printf "%-" lw "s", k
        for (i = 1; i <= nb; i++) {
          b = B[i]; n = cnt[k, b]; has[b] = n > 0
          if (!n) { printf " %12s", "-"; continue }
          delete a; for (j = 1; j <= n; j++) a[j] = val[k, b, j]
          m[b] = median(a, n)
          printf " %12s", fmt(m[b]) (n < rounds ? "*" : "") }
        if (w) for (i = 1; i <= nb; i++) if (B[i] != "warren") {
          b = B[i]
          if (has["warren"] && has[b] && m[b] > 0) printf " %11.2f", m["warren"] / m[b]; else printf " %11s", "-" }
        printf "\n" } }' "$1"
}

# the steady-state figures of every run (ROWS) as median_table input, one block of labels per scenario
steady_metrics() {
  awk -F'\t' '$4 != "FAILED" {
      lat = ($2 == "p") ? "confirm latency" : ($2 == "e") ? "expiry lag" : "consumer latency"
      printf "%s  brk us/msg\t%s\t%s\t%s\n", $2, $3, $1, $8
      printf "%s  cons msg/s\t%s\t%s\t%s\n", $2, $3, $1, $5
      printf "%s  pub msg/s\t%s\t%s\t%s\n", $2, $3, $1, $4
      printf "%s  %s p50 us\t%s\t%s\t%s\n", $2, lat, $3, $1, $6
      printf "%s  %s p99 us\t%s\t%s\t%s\n", $2, lat, $3, $1, $7
      printf "%s  brk cpu%%\t%s\t%s\t%s\n", $2, $3, $1, $9 }' "$ROWS"
}

report() {
  echo "side-by-side load benchmark: ${BROKER_LIST[*]} — $(date '+%Y-%m-%d %H:%M:%S %Z')"
  echo "repo $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (dirty)'), PerfTest $perftest_version, $(java -version 2>&1 | head -1)"
  echo "host: $NCPU cores, load avg before report $(cut -d' ' -f1-3 /proc/loadavg); window ${SECONDS_MEASURED}s after ${WARMUP}s warm-up;" \
       "$ROUNDS round(s), each broker started fresh per round, broker order rotated per round"
  local br sc
  for br in "${BROKER_LIST[@]}"; do printf '%-9s %s%s\n' "$br:" "${DESC_OF[$br]:-not started}" "$([ "$ROUNDS" -gt 1 ] && echo ' (last round)')"; done
  echo
  echo "scenarios:"
  for sc in "${SCENARIOS[@]}" backlog; do
    has "$ONLY" "$sc" || continue
    printf '  %s  %s\n      %s %s\n' "$sc" "$(scenario_desc "$sc")" \
      "$(case $sc in e) echo TtlExpiryDriver ;; backlog) echo BacklogDriver ;; *) echo PerfTest ;; esac)" "$(scenario_args "$sc")"
  done
  if [ -s "$ROWS" ]; then
    echo
    echo "every run (r = round):"
    printf '%-2s %-3s %-9s %10s %10s %9s %9s %11s %8s %11s %6s  %s\n' \
      r sc broker "pub msg/s" "cons msg/s" "p50 us" "p99 us" "brk us/msg" "brk cpu%" "cli us/msg" "host%" note
    awk -F'\t' '{
      if ($4 == "FAILED") { printf "%-2s %-3s %-9s %10s  %s\n", $1, $2, $3, "FAILED", $13; next }
      printf "%-2s %-3s %-9s %10d %10d %9d %9d %11.2f %8d %11.2f %6d  %s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $13 }' "$ROWS"
    awk -F'\t' '{ r[$3] = r[$3] sprintf(" %s %s", $2, $4) } END { for (k = 1; k in r; k++) printf "round %d, RSS after the run, idle (MiB):%s\n", k, r[k] }' "$RSS_METRICS"
    echo
    echo "side by side$(rounds_note) (w/X = Warren / X: msg/s above 1 = Warren faster; us/msg, latency below 1 = Warren better):"
    { steady_metrics; cat "$RSS_METRICS"; } > "$WORK/steady-metrics.tsv"
    local table; table=$(median_table "$WORK/steady-metrics.tsv" 34)
    echo "$table"
    if [[ $table == *'*'* ]]; then echo "* median of fewer runs than rounds: a run failed"; fi
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
  echo "  PerfTest itself; host% = whole machine busy (all $NCPU cores = 100); RSS after the run, idle = VmRSS of"
  echo "  the broker's process tree ${IDLE_PAUSE}s after the round's last steady-state run."
}
