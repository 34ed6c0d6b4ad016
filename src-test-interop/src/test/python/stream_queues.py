"""Stream queues from Pika as RabbitMQ's stream tutorial uses them: declare x-queue-type stream, publish with
confirms, consume with a prefetch and x-stream-offset (first, numeric, next), every delivery carrying its
x-stream-offset header; two consumers read independently; basic.get is refused (540)."""
import pika
import pika.exceptions

import interop_common as ic

conn = ic.connect()
ch = conn.channel()
ch.confirm_delivery()
q = ic.name("stream")
ch.queue_declare(q, durable=True, arguments={"x-queue-type": "stream", "x-max-age": "7D"})
for i in range(20):
    ch.basic_publish("", q, b"m%d" % i, pika.BasicProperties(headers={"i": i}))


def reader(offset, prefetch=5):
    c = conn.channel()
    c.basic_qos(prefetch_count=prefetch)
    got = []

    def on_message(chan, method, props, body):
        got.append((props.headers["x-stream-offset"], props.headers.get("i"), body, method.redelivered))
        chan.basic_ack(method.delivery_tag)

    c.basic_consume(q, on_message, arguments=None if offset is None else {"x-stream-offset": offset})
    return got


first = reader("first")
from7 = reader(7, prefetch=2)
ic.pump([conn], lambda: len(first) == 20 and len(from7) == 13)
assert [g[0] for g in first] == list(range(20)), first
assert all(g[1] == g[0] and g[2] == b"m%d" % g[0] and not g[3] for g in first), first
assert [g[0] for g in from7] == list(range(7, 20)), from7

latest = reader("next")
ch.basic_publish("", q, b"marker")  # a reader at the end gets only what comes after it
ic.pump([conn], lambda: len(latest) == 1 and len(first) == 21)
assert latest[0][0] == 20 and latest[0][2] == b"marker", latest

try:
    conn.channel().basic_get(q)
    raise AssertionError("basic.get on a stream must be refused")
except pika.exceptions.ConnectionClosedByBroker as e:
    assert e.reply_code == 540 and "basic.get not supported by stream queues" in e.reply_text, e

conn = ic.connect()
conn.channel().queue_delete(q)
conn.close()
ic.done("stream_queues")
