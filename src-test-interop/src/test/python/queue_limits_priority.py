"""Queue features from Pika: length limits (drop-head, reject-publish with NackError under confirms,
reject-publish-dlx), priority queues, single active consumer and argument validation, transient and durable."""
import time

import pika
import pika.exceptions

import interop_common as ic

conn = ic.connect()
ch = conn.channel()
ch.confirm_delivery()


def drain(queue):
    out = []
    while True:
        method, props, body = ch.basic_get(queue, auto_ack=True)
        if method is None:
            return out
        out.append(body)


for durable in (False, True):
    mode = 2 if durable else 1
    props = pika.BasicProperties(delivery_mode=mode)

    # drop-head keeps the newest; every publish is confirmed
    q = ic.name("drophead")
    ch.queue_declare(q, durable=durable, arguments={"x-max-length": 2})
    for b in (b"1", b"2", b"3"):
        ch.basic_publish("", q, b, props)
    assert drain(q) == [b"2", b"3"]

    # reject-publish: the publish that does not fit is nacked (NackError), the queue keeps the first ones
    r = ic.name("reject")
    ch.queue_declare(r, durable=durable, arguments={"x-max-length-bytes": 4, "x-overflow": "reject-publish"})
    ch.basic_publish("", r, b"abcd", props)
    try:
        ch.basic_publish("", r, b"e", props)
        raise AssertionError("expected NackError")
    except pika.exceptions.NackError:
        pass
    assert drain(r) == [b"abcd"]

    # reject-publish-dlx: nacked and dead-lettered as maxlen
    dead = ic.name("dead")
    rd = ic.name("rejectdlx")
    ch.queue_declare(dead, durable=durable)
    ch.queue_declare(rd, durable=durable, arguments={"x-max-length": 0, "x-overflow": "reject-publish-dlx",
                                                     "x-dead-letter-exchange": "", "x-dead-letter-routing-key": dead})
    try:
        ch.basic_publish("", rd, b"refused", props)
        raise AssertionError("expected NackError")
    except pika.exceptions.NackError:
        pass
    deadline = time.monotonic() + 5
    method, p, body = ch.basic_get(dead, auto_ack=True)
    while method is None and time.monotonic() < deadline:
        time.sleep(0.02)
        method, p, body = ch.basic_get(dead, auto_ack=True)
    assert body == b"refused" and p.headers["x-death"][0]["reason"] == "maxlen", p.headers

    # priorities: higher first, FIFO within one, above the maximum counts as the maximum
    pq = ic.name("prio")
    ch.queue_declare(pq, durable=durable, arguments={"x-max-priority": 5})
    for prio, body in ((1, b"low"), (9, b"nine"), (None, b"none"), (5, b"five"), (3, b"three")):
        ch.basic_publish("", pq, body, pika.BasicProperties(delivery_mode=mode, priority=prio))
    got = []
    while True:
        method, p, body = ch.basic_get(pq, auto_ack=True)
        if method is None:
            break
        got.append((body, p.priority))
    assert got == [(b"nine", 9), (b"five", 5), (b"three", 3), (b"low", 1), (b"none", None)], got

    # single active consumer: only the first registered consumer receives; the next takes over
    sac = ic.name("sac")
    ch.queue_declare(sac, durable=durable, arguments={"x-single-active-consumer": True})
    c2 = conn.channel()
    first, second = [], []
    t1 = c2.basic_consume(sac, lambda c, m, p, b: first.append(b), auto_ack=True)
    c2.basic_consume(sac, lambda c, m, p, b: second.append(b), auto_ack=True)
    for b in (b"a", b"b"):
        ch.basic_publish("", sac, b, props)
    ic.pump([conn], lambda: len(first) == 2)
    c2.basic_cancel(t1)
    ch.basic_publish("", sac, b"c", props)
    ic.pump([conn], lambda: len(second) == 1)
    assert first == [b"a", b"b"] and second == [b"c"], (first, second)
    c2.close()

    for name in (q, r, dead, rd, pq, sac):
        ch.queue_delete(name)

# argument validation: RabbitMQ's 406 texts
bad = ic.name("bad")
for args, text in (({"x-message-ttl": -1}, "{value_negative,-1}"),
                   ({"x-max-priority": 256}, "{max_value_exceeded,256}"),
                   ({"x-overflow": "nope"}, "invalid_overflow"),
                   ({"x-expires": "soon"}, '"expected integer, got longstr"')):
    try:
        ch.queue_declare(bad, arguments=args)
        raise AssertionError("expected 406 for %s" % args)
    except pika.exceptions.ChannelClosedByBroker as e:
        key = list(args)[0]
        assert e.reply_code == 406, e
        assert e.reply_text == "PRECONDITION_FAILED - invalid arg '%s' for queue '%s' in vhost '/': %s" % (
            key, bad, text), e.reply_text
    ch = conn.channel()

conn.close()
ic.done("queue_limits_priority")
