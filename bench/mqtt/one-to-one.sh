#!/usr/bin/env bash
# One MQTT publisher to one subscriber through a running broker, with Debian's mosquitto clients:
# mosquitto_pub -l publishes N lines as N messages; mosquitto_sub -C N counts them. Prints msg/s and the
# broker's CPU per message (utime+stime of BROKER_PID from /proc). A rough side-by-side tool, not a test:
# mosquitto_pub is single-threaded and may be the bottleneck at QoS 0.
# usage: bench/mqtt/one-to-one.sh PORT BROKER_PID [QOS] [N]     (user guest/guest)
# e.g. Warren: bin/warren --mqtt-port 1883; Mosquitto 2.0: mosquitto -p 1884;
#      RabbitMQ 3.10: rabbitmq_mqtt plugin with mqtt.listeners.tcp.default = 1885
set -euo pipefail
port=${1:?port}; pid=${2:?broker pid}; qos=${3:-0}; n=${4:-100000}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
seq 1 "$n" | sed 's/$/-payload-of-64-bytes-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/' > "$tmp/lines"
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
mosquitto_sub -p "$port" -u guest -P guest -t bench/one -q "$qos" -C "$n" -W 300 > "$tmp/got" &
sub=$!
sleep 1 # a benchmark, not a test: give the subscriber its SUBACK
c0=$(cpu); t0=$(date +%s.%N)
mosquitto_pub -p "$port" -u guest -P guest -t bench/one -q "$qos" -l < "$tmp/lines"
wait "$sub" || true
t1=$(date +%s.%N); c1=$(cpu)
got=$(wc -l < "$tmp/got")
hz=$(getconf CLK_TCK)
awk -v t0="$t0" -v t1="$t1" -v c0="$c0" -v c1="$c1" -v got="$got" -v n="$n" -v hz="$hz" -v port="$port" -v qos="$qos" \
  'BEGIN { printf "port %s QoS %s: %d of %d received in %.2f s = %.0f msg/s, broker CPU %.1f us/msg\n",
           port, qos, got, n, t1 - t0, got / (t1 - t0), (c1 - c0) / hz * 1e6 / (got ? got : 1) }'
