"""Quorum queues from Pika, as RabbitMQ 3.10 behaves: the declare refusals, confirmed publishes, a consumer
that rejects with requeue sees x-delivery-count grow, x-delivery-limit drops the message, and reject-publish
nacks once the queue went over its limit."""
import pika
import pika.exceptions

import interop_common as ic

QUORUM = {"x-queue-type": "quorum"}

conn = ic.connect()
ch = conn.channel()

# refused: non-durable (406 with RabbitMQ's text); the channel closes, the connection stays
bad = ic.name("transient")
try:
    ch.queue_declare(bad, durable=False, arguments=QUORUM)
    raise AssertionError("a non-durable quorum queue was accepted")
except pika.exceptions.ChannelClosedByBroker as e:
    assert e.reply_code == 406, e
    assert e.reply_text == "PRECONDITION_FAILED - invalid property 'non-durable' for queue '%s' in vhost '/'" % bad, e

ch = conn.channel()
ch.confirm_delivery()
q = ic.name("work")
ch.queue_declare(q, durable=True, arguments=dict(QUORUM, **{"x-delivery-limit": 2}))
for i in range(5):
    ch.basic_publish("", q, b"job-%d" % i, pika.BasicProperties(delivery_mode=2))  # confirmed or raises
assert ch.queue_declare(q, passive=True).method.message_count == 5

# consume job-0: reject it with requeue until the delivery limit (2) drops it; ack the rest
seen = []


def on_message(channel, method, props, body):
    count = (props.headers or {}).get("x-delivery-count")
    seen.append((body, method.redelivered, count))
    if body == b"job-0":
        channel.basic_reject(method.delivery_tag, requeue=True)
    else:
        channel.basic_ack(method.delivery_tag)
    if len([s for s in seen if s[0] != b"job-0"]) == 4 and len([s for s in seen if s[0] == b"job-0"]) == 3:
        channel.stop_consuming()


ch.basic_qos(prefetch_count=1)
ch.basic_consume(q, on_message)
conn.call_later(30, ch.stop_consuming)
ch.start_consuming()
job0 = [s for s in seen if s[0] == b"job-0"]
assert job0 == [(b"job-0", False, None), (b"job-0", True, 1), (b"job-0", True, 2)], job0
assert [s[0] for s in seen if s[0] != b"job-0"] == [b"job-1", b"job-2", b"job-3", b"job-4"], seen
ch.cancel()
assert ch.queue_declare(q, passive=True).method.message_count == 0, "job-0 dropped past the delivery limit"

# reject-publish: the publish that goes over is taken, the next one is nacked
r = ic.name("bounded")
ch.queue_declare(r, durable=True, arguments=dict(QUORUM, **{"x-max-length": 1, "x-overflow": "reject-publish"}))
ch.basic_publish("", r, b"a")
ch.basic_publish("", r, b"b")
try:
    ch.basic_publish("", r, b"c")
    raise AssertionError("expected NackError")
except pika.exceptions.NackError:
    pass
assert ch.queue_declare(r, passive=True).method.message_count == 2

for name in (q, r):
    ch.queue_delete(name)
conn.close()
