# shellcheck shell=bash
# Sourced by bench/run.sh (not run): small shell helpers and what the benchmark reads from /proc about a broker's
# process tree (CPU time, resident memory). A tree is a pid and all its descendants: a launcher script that does not
# exec java, RabbitMQ's erl_child_setup, whatever a broker forks. Threads count in their process's own counters.

# log lines go to the script's own stderr (LOG_FD, a copy of it), also from code whose stderr is redirected to a
# client's output file, such as the traps when Ctrl-C arrives while a driver runs
exec {LOG_FD}>&2
log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&"$LOG_FD"; }
die() { log "ERROR: $*"; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }
has() { [[ ",$1," == *",$2,"* ]]; }
# running and not a zombie (in a container, pid 1 may never reap a daemon that exited)
alive() {
  local st
  st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  st=${st##*) }
  [ "${st%% *}" != Z ]
}

# /proc/PID/stat of every process, one line each (the command name, field 2, may hold spaces and parentheses: the
# awk programs below split after its last ')')
all_stats() { cat /proc/[0-9]*/stat 2>/dev/null || true; }
# shellcheck disable=SC2016  # an awk program
PROC_TREE_AWK='
  { line = $0; p = 0; s = line
    while ((j = index(s, ")")) > 0) { p += j; s = substr(s, j + 1) }
    pid = substr(line, 1, index(line, " ") - 1)
    n = split(substr(line, p + 2), f, " ")
    if (n < 13) next
    ppid[pid] = f[2]; ticks[pid] = f[12] + f[13] }
  function tree(root,   q, changed) {
    in_tree[root] = 1
    do { changed = 0
         for (q in ppid) if (!(q in in_tree) && (ppid[q] in in_tree)) { in_tree[q] = 1; changed = 1 }
    } while (changed) }'

# utime+stime (clock ticks) of a process tree; -1 if the root is gone
tree_ticks() {
  all_stats | awk -v root="$1" "$PROC_TREE_AWK"'
    END { if (!(root in ticks)) { print "-1"; exit }
          tree(root); t = 0; for (q in in_tree) t += ticks[q]; print t }'
}
# the pids of a process tree, one a line (nothing if the root is gone)
tree_pids() {
  all_stats | awk -v root="$1" "$PROC_TREE_AWK"'
    END { if (!(root in ticks)) exit
          tree(root); for (q in in_tree) print q }'
}
# resident memory in KiB: the sum of VmRSS (/proc/PID/status) over a process tree
tree_rss_kib() {
  local pid kb total=0
  for pid in $(tree_pids "$1"); do
    kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}
# "busy total" jiffies of the whole machine from /proc/stat
host_jiffies() {
  local _cpu user nice system idle iowait irq softirq steal _rest
  read -r _cpu user nice system idle iowait irq softirq steal _rest < /proc/stat
  echo "$((user + nice + system + irq + softirq + steal)) $((user + nice + system + idle + iowait + irq + softirq + steal))"
}
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
secs_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# kill_tree PID: SIGKILL a process, its process group if it leads one (a broker started with setsid), and every
# descendant (which may have left the group), for a broker that did not stop when asked
kill_tree() {
  local root=$1 pids pgid
  pids=$(tree_pids "$root")
  pgid=$(ps -o pgid= -p "$root" 2>/dev/null | tr -d ' ' || true)
  if [ "$pgid" = "$root" ]; then kill -KILL -- "-$root" 2>/dev/null || true; fi
  # shellcheck disable=SC2086  # one pid per word
  [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
}
