"""Debian's python3-paho-mqtt against the broker: python3 paho_clients.py PORT. Exits 0 when every check passes.

Pub/sub at QoS 0 and 1, binary payloads byte for byte, a retained message for a later subscriber, and a refused
login (CONNACK 4). Waits on events (SUBACK, messages) with a deadline, never on sleeps."""
import os
import queue
import sys

import paho.mqtt.client as mqtt

PORT = int(sys.argv[1])
TAG = "py%d" % os.getpid()
TIMEOUT = 10


def client(cid, user="guest", password="guest"):
    events = queue.Queue()
    c = mqtt.Client(client_id=cid, clean_session=True, protocol=mqtt.MQTTv311)
    if user is not None:
        c.username_pw_set(user, password)
    c.on_connect = lambda cl, u, flags, rc: events.put(("connack", rc))
    c.on_subscribe = lambda cl, u, mid, granted: events.put(("suback", granted))
    c.on_message = lambda cl, u, msg: events.put(("message", msg))
    c.connect("localhost", PORT, 30)
    c.loop_start()
    return c, events


def expect(events, kind):
    got, value = events.get(timeout=TIMEOUT)
    assert got == kind, "expected %s, got %s %r" % (kind, got, value)
    return value


sub, sub_events = client(TAG + "-sub")
assert expect(sub_events, "connack") == 0
sub.subscribe(TAG + "/+/reading", qos=1)
assert list(expect(sub_events, "suback")) == [1]

pub, pub_events = client(TAG + "-pub")
assert expect(pub_events, "connack") == 0
payload = bytes(range(256))
pub.publish(TAG + "/a/reading", b"qos0", qos=0).wait_for_publish()
pub.publish(TAG + "/b/reading", payload, qos=1).wait_for_publish()
m0 = expect(sub_events, "message")
m1 = expect(sub_events, "message")
assert (m0.topic, m0.payload, m0.qos) == (TAG + "/a/reading", b"qos0", 0), (m0.topic, m0.payload, m0.qos)
assert (m1.topic, m1.payload, m1.qos) == (TAG + "/b/reading", payload, 1), (m1.topic, m1.qos)

pub.publish(TAG + "/retained", b"last-known", qos=1, retain=True).wait_for_publish()
late, late_events = client(TAG + "-late")
assert expect(late_events, "connack") == 0
late.subscribe(TAG + "/retained", qos=1)
expect(late_events, "suback")
r = expect(late_events, "message")
assert r.retain and r.payload == b"last-known", (r.retain, r.payload)

bad, bad_events = client(TAG + "-bad", "guest", "wrong")
assert expect(bad_events, "connack") == 4

for c in (sub, pub, late, bad):
    c.disconnect()
    c.loop_stop()
print("ok")
