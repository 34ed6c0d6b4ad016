"""Pika across three cluster nodes: `python3 cross_node.py PORT1 PORT2 PORT3`.

A queue declared on node 2 lives there; node 1 publishes to it with confirms, node 3 gets and
consumes from it, with acks, a nack that requeues, and the properties intact.
"""
import sys
import uuid

import pika

ports = [int(p) for p in sys.argv[1:4]]


def connect(i):
    return pika.BlockingConnection(pika.ConnectionParameters("localhost", ports[i - 1], connection_attempts=1,
                                                             socket_timeout=5, stack_timeout=10))


queue = "pika-cross-" + uuid.uuid4().hex[:8]
home = connect(2)
home.channel().queue_declare(queue=queue, durable=True)

publisher = connect(1)
pch = publisher.channel()
pch.queue_declare(queue=queue, passive=True)  # replicated: exists on node 1 too
pch.confirm_delivery()
for i in range(20):
    pch.basic_publish(exchange="", routing_key=queue, body=("m%d" % i).encode(),
                      properties=pika.BasicProperties(delivery_mode=2, content_type="text/plain",
                                                      headers={"i": i}))

consumer = connect(3)
cch = consumer.channel()
method, props, body = cch.basic_get(queue=queue, auto_ack=False)
assert body == b"m0" and props.headers == {"i": 0} and props.content_type == "text/plain", (method, props, body)
assert method.message_count == 19, method
cch.basic_nack(delivery_tag=method.delivery_tag, requeue=True)

cch.basic_qos(prefetch_count=5)
got = []
for m, p, b in cch.consume(queue=queue, auto_ack=False, inactivity_timeout=10):
    assert m is not None, "timed out after %d messages" % len(got)
    got.append((b, m.redelivered))
    cch.basic_ack(delivery_tag=m.delivery_tag)
    if len(got) == 20:
        break
cch.cancel()
assert [b for b, _ in got] == [("m%d" % i).encode() for i in range(20)], got
assert got[0][1] is True and not any(r for _, r in got[1:]), got

ok = home.channel().queue_declare(queue=queue, passive=True)
assert ok.method.message_count == 0, ok.method
home.channel().queue_delete(queue=queue)
for c in (home, publisher, consumer):
    c.close()
print("ok")
