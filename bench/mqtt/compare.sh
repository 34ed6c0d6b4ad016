#!/usr/bin/env bash
# MQTT side by side: Warren, Mosquitto 2.0 (Debian `mosquitto`) and RabbitMQ 3.10's MQTT plugin (Debian
# `rabbitmq-server`), one broker after the other, each under the same load from MqttLoadDriver (Netty codec-mqtt
# clients on one thread): 1 publisher -> 1 subscriber and 100 publishers -> 1 subscriber, QoS 0 and QoS 1, 64-byte
# payloads, a closed loop of at most IN_FLIGHT messages published and not yet received. Prints msg/s received
# and the broker's CPU time per message (utime+stime from /proc) over the measured window. See bench/README.md.
# Everything it starts is stopped on exit.
#
# Environment (all optional):
#   BENCH_WARMUP=15  BENCH_SECONDS=15   warm-up and measured seconds per run (the JVM's JIT needs the warm-up)
#   BENCH_IN_FLIGHT="100 1000"          closed-loop windows to run (messages published and not yet received)
#   BENCH_BROKERS="warren mosquitto rabbitmq"   BENCH_PUBLISHERS="1 100"   BENCH_QOS="0 1"
#   WARREN_MQTT_PORT=1895  MOSQUITTO_PORT=1894  RABBIT_PORT=5731  RABBIT_MQTT_PORT=1893
#   RABBIT_NODE_SH   the private-node script (default ../shared/tools/rabbitmq-node.sh beside the checkout)
set -Eeuo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
WARMUP=${BENCH_WARMUP:-15}
SECONDS_MEASURED=${BENCH_SECONDS:-15}
IN_FLIGHT=${BENCH_IN_FLIGHT:-"100 1000"}
BROKERS=${BENCH_BROKERS:-"warren mosquitto rabbitmq"}
PUBLISHERS=${BENCH_PUBLISHERS:-"1 100"}
QOS_LEVELS=${BENCH_QOS:-"0 1"}
WARREN_MQTT_PORT=${WARREN_MQTT_PORT:-1895}
MOSQUITTO_PORT=${MOSQUITTO_PORT:-1894}
RABBIT_PORT=${RABBIT_PORT:-5731}
RABBIT_MQTT_PORT=${RABBIT_MQTT_PORT:-1893}
RABBIT_NODE_SH=${RABBIT_NODE_SH:-$ROOT/../shared/tools/rabbitmq-node.sh}
WORK=$(mktemp -d /tmp/warren-mqtt-bench.XXXXXX)
BROKER_PID=""; STOP=""

cleanup() {
  if [ -n "$STOP" ]; then eval "$STOP" || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

port_open() { (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }
wait_port() { for _ in $(seq 1 120); do port_open "$1" && return 0; sleep 0.5; done; echo "port $1 never opened" >&2; return 1; }

[ -d "$BENCH_DIR/target/lib" ] || (cd "$ROOT" && mvn -B -q -DskipTests package)

start_warren() {
  "$ROOT/bin/warren" --amqp-port 0 --http-port -1 --mqtt-port "$WARREN_MQTT_PORT" --mqtts-port 0 \
    --data-dir "$WORK/warren" > "$WORK/warren.log" 2>&1 &
  BROKER_PID=$!; STOP="kill $BROKER_PID; wait $BROKER_PID 2>/dev/null || true"
  wait_port "$WARREN_MQTT_PORT"; PORT=$WARREN_MQTT_PORT
}
start_mosquitto() {
  # Mosquitto's defaults but Nagle off (set_tcp_nodelay), as Warren and RabbitMQ run: with Nagle a closed loop
  # waits on the client's delayed ACKs (about 40 ms) and Mosquitto would look far slower than it is
  printf 'listener %s 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\n' "$MOSQUITTO_PORT" > "$WORK/mosquitto.conf"
  mosquitto -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 &
  BROKER_PID=$!; STOP="kill $BROKER_PID; wait $BROKER_PID 2>/dev/null || true"
  wait_port "$MOSQUITTO_PORT"; PORT=$MOSQUITTO_PORT
}
start_rabbitmq() {
  "$RABBIT_NODE_SH" start "$RABBIT_PORT" > /dev/null
  STOP="'$RABBIT_NODE_SH' stop '$RABBIT_PORT' > /dev/null"
  local node=node$RABBIT_PORT@localhost
  # the node script enables no plugin: set the MQTT listener, then enable rabbitmq_mqtt on the running node
  rabbitmqctl -q -n "$node" eval "application:set_env(rabbitmq_mqtt, tcp_listeners, [$RABBIT_MQTT_PORT], [{persistent, true}])." > /dev/null
  RABBITMQ_ENABLED_PLUGINS_FILE=/tmp/rabbitmq-node-$RABBIT_PORT/enabled_plugins \
    rabbitmq-plugins -q -n "$node" enable rabbitmq_mqtt > /dev/null
  wait_port "$RABBIT_MQTT_PORT"; PORT=$RABBIT_MQTT_PORT
  BROKER_PID=$("$RABBIT_NODE_SH" pid "$RABBIT_PORT")
}

printf '%-10s %4s %4s %9s %10s %8s %8s\n' broker pubs qos in-flight msg/s us/msg dropped
for broker in $BROKERS; do
  "start_$broker"
  for window in $IN_FLIGHT; do
    for qos in $QOS_LEVELS; do
      for pubs in $PUBLISHERS; do
        out=$(java -cp "$BENCH_DIR/target/lib/*" "$BENCH_DIR/src/main/java/io/warren/bench/mqtt/MqttLoadDriver.java" \
          --port "$PORT" --pid "$BROKER_PID" --publishers "$pubs" --qos "$qos" --in-flight "$window" \
          --warmup "$WARMUP" --seconds "$SECONDS_MEASURED" 2> "$WORK/driver.err" | tail -1)
        # "publishers P qos Q msg/s R us/msg C dropped D"
        read -r _ p _ q _ rate _ cpu _ dropped <<< "$out"
        printf '%-10s %4s %4s %9s %10s %8s %8s\n' "$broker" "$p" "$q" "$window" "$rate" "$cpu" "$dropped"
      done
    done
  done
  eval "$STOP"; STOP=""
  sleep 2
done
