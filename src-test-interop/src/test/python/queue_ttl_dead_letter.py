"""Queue features from Pika: a retry loop built from TTL + dead-lettering (x-death exactly as RabbitMQ 3.10 writes
it, in wire order), per-message TTL, x-expires, for transient and durable queues."""
import datetime
import time

import pika
import pika.exceptions

import interop_common as ic

conn = ic.connect()
ch = conn.channel()


def drain(queue):
    out = []
    while True:
        method, props, body = ch.basic_get(queue, auto_ack=True)
        if method is None:
            return out
        out.append(body)


def get(queue, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        method, props, body = ch.basic_get(queue, auto_ack=False)
        if method is not None:
            return method, props, body
        time.sleep(0.02)
    raise AssertionError("nothing in %s within %s s" % (queue, timeout))


for durable in (False, True):
    mode = 2 if durable else 1
    work = ic.name("work")
    retry = ic.name("retry")
    # the classic retry loop: work -(reject)-> retry -(100 ms TTL)-> work
    ch.queue_declare(work, durable=durable, arguments={"x-dead-letter-exchange": "", "x-dead-letter-routing-key": retry})
    ch.queue_declare(retry, durable=durable, arguments={"x-message-ttl": 100, "x-dead-letter-exchange": "",
                                                        "x-dead-letter-routing-key": work})
    ch.basic_publish("", work, b"job", pika.BasicProperties(delivery_mode=mode, headers={"app": "kept"}))
    for attempt in range(1, 4):
        method, props, body = get(work)
        assert body == b"job", body
        if attempt == 1:
            assert props.headers == {"app": "kept"}, props.headers
        else:
            deaths = props.headers["x-death"]
            assert [(d["queue"], d["reason"], d["count"]) for d in deaths] == \
                [(retry, "expired", attempt - 1), (work, "rejected", attempt - 1)], deaths
            assert props.headers["x-first-death-queue"] == work
            assert props.headers["x-first-death-reason"] == "rejected"
            assert props.delivery_mode == mode
            assert method.exchange == "" and method.routing_key == work, method
        ch.basic_reject(method.delivery_tag, requeue=False)
    method, props, body = get(retry)  # the third rejection is parked in the retry queue
    ch.basic_ack(method.delivery_tag)

    # the first death: headers sorted by name, the entry's fields in RabbitMQ's natural order
    dead = ic.name("dead")
    src = ic.name("src")
    ch.queue_declare(dead, durable=durable)
    ch.queue_declare(src, durable=durable, arguments={"x-dead-letter-exchange": "", "x-dead-letter-routing-key": dead})
    ch.basic_publish("", src, b"m", pika.BasicProperties(delivery_mode=mode, expiration="60000",
                                                         headers={"zz": 1, "aa": "x", "CC": ["cc1"]}))
    method, props, body = get(src)
    ch.basic_reject(method.delivery_tag, requeue=False)
    method, props, body = get(dead)
    ch.basic_ack(method.delivery_tag)
    assert props.expiration is None, props
    assert list(props.headers) == ["aa", "x-death", "x-first-death-exchange", "x-first-death-queue",
                                   "x-first-death-reason", "zz"], list(props.headers)
    entry = props.headers["x-death"][0]
    assert list(entry) == ["count", "reason", "queue", "time", "exchange", "routing-keys", "original-expiration"], entry
    assert entry["count"] == 1 and entry["reason"] == "rejected" and entry["queue"] == src, entry
    assert entry["routing-keys"] == [src, "cc1"] and entry["original-expiration"] == "60000", entry
    assert isinstance(entry["time"], datetime.datetime), entry

    # per-message TTL: gone from basic.get, dead-lettered as expired
    ttl_q = ic.name("ttl")
    ch.queue_declare(ttl_q, durable=durable, arguments={"x-dead-letter-exchange": "", "x-dead-letter-routing-key": dead})
    ch.basic_publish("", ttl_q, b"short", pika.BasicProperties(delivery_mode=mode, expiration="50"))
    ch.basic_publish("", ttl_q, b"long", pika.BasicProperties(delivery_mode=mode, expiration="60000"))
    method, props, body = get(dead)
    ch.basic_ack(method.delivery_tag)
    assert body == b"short" and props.headers["x-death"][0]["reason"] == "expired", props.headers
    assert props.headers["x-death"][0]["original-expiration"] == "50"
    assert drain(ttl_q) == [b"long"]

    # x-expires: an unused queue goes away
    gone = ic.name("expires")
    ch.queue_declare(gone, durable=durable, arguments={"x-expires": 300})
    time.sleep(1.2)
    try:
        ch.queue_declare(gone, passive=True)
        raise AssertionError("queue with x-expires still there")
    except pika.exceptions.ChannelClosedByBroker as e:
        assert e.reply_code == 404, e
        ch = conn.channel()

    for q in (work, retry, dead, src, ttl_q):
        ch.queue_delete(q)

conn.close()
ic.done("queue_ttl_dead_letter")
