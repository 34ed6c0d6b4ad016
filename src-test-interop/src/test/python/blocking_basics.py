"""BlockingConnection basics: confirms + mandatory, get, nack/requeue, properties, channel errors, consumers."""
import datetime
import decimal

import pika
import pika.exceptions

import interop_common as ic

conn = ic.connect()
ch = conn.channel()
queue = ic.name("basics")
ch.queue_declare(queue=queue)

# --- publisher confirms; a mandatory unroutable publish raises UnroutableError
ch.confirm_delivery()
ch.basic_publish(exchange="", routing_key=queue, body=b"routed", mandatory=True)
try:
    ch.basic_publish(exchange="", routing_key=ic.name("nowhere"), body=b"lost", mandatory=True)
    raise AssertionError("expected UnroutableError")
except pika.exceptions.UnroutableError as e:
    assert len(e.messages) == 1, e.messages
    returned = e.messages[0]
    assert returned.method.reply_code == 312 and returned.method.reply_text == "NO_ROUTE", returned.method
    assert returned.body == b"lost"
# non-mandatory unroutable is confirmed and dropped silently
ch.basic_publish(exchange="", routing_key=ic.name("nowhere"), body=b"dropped")
assert ch.is_open

# --- basic_get and get-empty
method, props, body = ch.basic_get(queue=queue, auto_ack=False)
assert body == b"routed" and method.redelivered is False and method.message_count == 0, method
# --- nack with requeue puts it back, redelivered
ch.basic_nack(delivery_tag=method.delivery_tag, requeue=True)
method2, _, body2 = ch.basic_get(queue=queue, auto_ack=False)
assert body2 == b"routed" and method2.redelivered is True, method2
ch.basic_reject(delivery_tag=method2.delivery_tag, requeue=False)
assert ch.basic_get(queue=queue) == (None, None, None)

# --- requeue restores the original position
for i in range(1, 6):
    ch.basic_publish("", queue, str(i).encode())
tags = [ch.basic_get(queue)[0].delivery_tag for _ in range(5)]
ch.basic_reject(tags[2], requeue=True)
ch.basic_reject(tags[0], requeue=True)
again = [ch.basic_get(queue, auto_ack=True) for _ in range(2)]
assert [(m.redelivered, b) for m, _, b in again] == [(True, b"1"), (True, b"3")], again
ch.basic_ack(0, multiple=True)
assert ch.queue_declare(queue=queue, passive=True).method.message_count == 0

# --- all properties and the header value types Pika can encode (not float) round trip
headers = {"str": "hello", "int": 42, "neg": -5, "big": 2 ** 40, "bool": True,
           "decimal": decimal.Decimal("12.34"), "ts": datetime.datetime(2024, 1, 2, 3, 4, 5),
           "bytes": b"\x00\x01\xff", "list": [1, "two", [3]], "table": {"nested": {"deep": 1}}, "none": None}
sent = pika.BasicProperties(content_type="application/json", content_encoding="utf-8", headers=headers,
                            delivery_mode=2, priority=5, correlation_id="corr", reply_to="rq", expiration="60000",
                            message_id="mid", timestamp=1700000000, type="t", user_id="guest", app_id="pika-test",
                            cluster_id="cid")
ch.basic_publish("", queue, b"props", properties=sent)
_, got, _ = ch.basic_get(queue, auto_ack=True)
for attr in ("content_type", "content_encoding", "delivery_mode", "priority", "correlation_id", "reply_to",
             "expiration", "message_id", "timestamp", "type", "user_id", "app_id", "cluster_id"):
    assert getattr(got, attr) == getattr(sent, attr), (attr, getattr(got, attr), getattr(sent, attr))
assert got.headers == headers, (got.headers, headers)

# --- a channel error closes the channel only
bad = conn.channel()
try:
    bad.queue_declare(queue=ic.name("missing"), passive=True)
    raise AssertionError("passive declare of a missing queue succeeded")
except pika.exceptions.ChannelClosedByBroker as e:
    assert e.reply_code == 404 and e.reply_text.startswith("NOT_FOUND - no queue '"), e
assert conn.is_open and ch.is_open and bad.is_closed
ok = conn.channel()
ok.queue_declare(queue=queue, passive=True)

# --- unknown delivery tag: 406
bad = conn.channel()
bad.basic_ack(99)
try:
    bad.queue_declare(queue=queue, passive=True)  # a round trip to see the close
    raise AssertionError("ack of unknown tag was accepted")
except pika.exceptions.ChannelClosedByBroker as e:
    assert e.reply_code == 406 and e.reply_text == "PRECONDITION_FAILED - unknown delivery tag 99", e

# --- another connection's exclusive queue is locked (405)
excl = ch.queue_declare(queue="", exclusive=True).method.queue
other = ic.connect()
och = other.channel()
try:
    och.basic_consume(excl, on_message_callback=lambda *a: None)
    raise AssertionError("consumed another connection's exclusive queue")
except pika.exceptions.ChannelClosedByBroker as e:
    assert e.reply_code == 405 and e.reply_text.startswith("RESOURCE_LOCKED"), e
other.close()

# --- unknown exchange type closes the connection with 503
c2 = ic.connect()
try:
    c2.channel().exchange_declare(exchange=ic.name("x"), exchange_type="no-such-type")
    raise AssertionError("unknown exchange type accepted")
except pika.exceptions.ConnectionClosedByBroker as e:
    assert e.reply_code == 503 and e.reply_text == "COMMAND_INVALID - unknown exchange type 'no-such-type'", e
assert c2.is_closed

# --- consumer with prefetch 1 and manual ack via the consume() generator
cch = conn.channel()
cch.basic_qos(prefetch_count=1)
for i in range(3):
    ch.basic_publish("", queue, ("c%d" % i).encode())
seen = []
for method, props, body in cch.consume(queue, inactivity_timeout=2):
    assert method is not None, "inactivity timeout before all messages arrived: %r" % seen
    seen.append(body)
    cch.basic_ack(method.delivery_tag)
    if len(seen) == 3:
        break
assert seen == [b"c0", b"c1", b"c2"], seen
cch.cancel()

# --- basic_consume with an explicit tag, then cancel
received = []
tag = cch.basic_consume(queue, on_message_callback=lambda c, m, p, b: received.append(m.consumer_tag),
                        auto_ack=True, consumer_tag="pika-tag")
assert tag == "pika-tag"
ch.basic_publish("", queue, b"x")
ic.pump([conn], lambda: received)
assert received == ["pika-tag"]
cch.basic_cancel(tag)

# --- a 1 MiB body round trips byte for byte
big = bytes((i * 7) % 256 for i in range(1 << 20))
ch.basic_publish("", queue, big)
_, _, body = ch.basic_get(queue, auto_ack=True)
assert body == big

ch.queue_delete(queue)
conn.close()
ic.done(__file__)
