"""RabbitMQ's protocol extensions from Pika: transactions, exchange-to-exchange bindings, alternate exchanges,
CC/BCC sender-selected distribution, direct reply-to and consumer cancel notifications."""
import pika
import pika.exceptions

import interop_common as ic

conn = ic.connect()
ch = conn.channel()
cleanup_queues, cleanup_exchanges = [], []


def queue(hint):
    q = ic.name(hint)
    ch.queue_declare(queue=q)
    cleanup_queues.append(q)
    return q


def exchange(hint, kind, **kw):
    x = ic.name(hint)
    ch.exchange_declare(exchange=x, exchange_type=kind, **kw)
    cleanup_exchanges.append(x)
    return x


def count(q):
    return ch.queue_declare(queue=q, passive=True).method.message_count


def await_count(q, n, timeout=5.0):
    import time
    deadline = time.monotonic() + timeout
    while count(q) != n:
        assert time.monotonic() < deadline, "queue %s never held %d messages (has %d)" % (q, n, count(q))
        time.sleep(0.02)


def drain(q):
    out = []
    while True:
        method, props, body = ch.basic_get(q, auto_ack=True)
        if method is None:
            return out
        out.append((method, props, body))


# --- transactions: publishes and acks take effect on commit; rollback discards them
q = queue("tx")
tx = conn.channel()
tx.tx_select()
tx.basic_publish("", q, b"rolled back")
tx.tx_rollback()
tx.basic_publish("", q, b"committed")
assert count(q) == 0, "nothing before commit"
tx.tx_commit()
assert count(q) == 1
method, _, body = tx.basic_get(q, auto_ack=False)
assert body == b"committed"
tx.basic_ack(method.delivery_tag)
tx.tx_rollback()  # the ack is undone: the message stays unacked on this channel
assert count(q) == 0
tx.close()  # ...and comes back when the channel closes
await_count(q, 1)
again, _, _ = ch.basic_get(q, auto_ack=True)
assert again.redelivered is True, again

# tx.commit without tx.select, and confirm/tx mixing: 406 on the channel, the connection survives
for action, text in ((lambda c: c.tx_commit(), "PRECONDITION_FAILED - channel is not transactional"),
                     (lambda c: (c.tx_select(), c.confirm_delivery()),
                      "PRECONDITION_FAILED - cannot switch from tx to confirm mode"),
                     (lambda c: (c.confirm_delivery(), c.tx_select()),
                      "PRECONDITION_FAILED - cannot switch from confirm to tx mode")):
    bad = conn.channel()
    try:
        action(bad)
        raise AssertionError("expected a 406: " + text)
    except pika.exceptions.ChannelClosedByBroker as e:
        assert e.reply_code == 406 and e.reply_text == text, e
    assert conn.is_open and ch.is_open

# --- exchange-to-exchange: topic -> fanout -> queue, unbind
topic = exchange("topic", "topic")
fanout = exchange("fanout", "fanout")
ch.exchange_bind(destination=fanout, source=topic, routing_key="logs.*.error")
q = queue("e2e")
ch.queue_bind(queue=q, exchange=fanout)
ch.queue_bind(queue=q, exchange=topic, routing_key="logs.#")  # a second path: still one copy
for key in ("logs.db.error", "logs.db.info", "other.db.error"):
    ch.basic_publish(topic, key, key.encode())
got = drain(q)
assert [b for _, _, b in got] == [b"logs.db.error", b"logs.db.info"], got
assert got[0][0].exchange == topic and got[0][0].routing_key == "logs.db.error", got[0][0]
ch.exchange_unbind(destination=fanout, source=topic, routing_key="logs.*.error")
ch.queue_unbind(queue=q, exchange=topic, routing_key="logs.#")
ch.basic_publish(topic, "logs.db.error", b"unbound")
assert drain(q) == []
try:
    conn.channel().exchange_bind(destination=fanout, source=ic.name("missing"))
    raise AssertionError("bind from a missing exchange succeeded")
except pika.exceptions.ChannelClosedByBroker as e:
    assert e.reply_code == 404 and e.reply_text.startswith("NOT_FOUND - no exchange '"), e

# --- alternate exchange: unroutable messages go there; a mandatory one it takes is not returned
ae = exchange("ae", "fanout")
q_ae = queue("ae")
ch.queue_bind(queue=q_ae, exchange=ae)
main = exchange("main", "direct", arguments={"alternate-exchange": ae})
q_main = queue("main")
ch.queue_bind(queue=q_main, exchange=main, routing_key="known")
confirmed = conn.channel()
confirmed.confirm_delivery()
confirmed.basic_publish(main, "known", b"routed", mandatory=True)
confirmed.basic_publish(main, "unknown", b"to the ae", mandatory=True)  # no UnroutableError
assert [b for _, _, b in drain(q_main)] == [b"routed"]
got = drain(q_ae)
assert [(m.exchange, m.routing_key, b) for m, _, b in got] == [(main, "unknown", b"to the ae")], got
# an alternate exchange that does not exist: mandatory publishes come back
lost = exchange("lost", "direct", arguments={"alternate-exchange": ic.name("no-such-ae")})
try:
    confirmed.basic_publish(lost, "k", b"returned", mandatory=True)
    raise AssertionError("expected UnroutableError")
except pika.exceptions.UnroutableError as e:
    assert e.messages[0].method.reply_code == 312 and e.messages[0].body == b"returned", e.messages

# --- CC and BCC: extra routing keys; BCC is removed, CC kept
direct = exchange("cc", "direct")
qs = {}
for key in ("to", "cc", "bcc", "none"):
    qs[key] = queue("cc-" + key)
    ch.queue_bind(queue=qs[key], exchange=direct, routing_key=key)
props = pika.BasicProperties(headers={"CC": ["cc", "to"], "BCC": ["bcc"], "x": "y"})
confirmed.basic_publish(direct, "to", b"memo", properties=props)
for key in ("to", "cc", "bcc"):
    got = drain(qs[key])
    assert len(got) == 1, (key, got)
    method, p, body = got[0]
    assert body == b"memo" and method.routing_key == "to", method
    assert p.headers == {"CC": ["cc", "to"], "x": "y"}, p.headers
assert drain(qs["none"]) == []

# --- direct reply-to
service = queue("svc")
server = ic.connect()
sch = server.channel()
sch.basic_consume(service, auto_ack=True, on_message_callback=lambda c, m, p, b: c.basic_publish(
    "", p.reply_to, b"re: " + b, properties=pika.BasicProperties(correlation_id=p.correlation_id)))
replies = []
rch = conn.channel()
rch.basic_consume("amq.rabbitmq.reply-to", auto_ack=True, on_message_callback=lambda c, m, p, b: replies.append(
    (p.correlation_id, b)))
rch.basic_publish("", service, b"ping", properties=pika.BasicProperties(reply_to="amq.rabbitmq.reply-to",
                                                                       correlation_id="42"))
ic.pump([conn, server], lambda: replies)
assert replies == [("42", b"re: ping")], replies
nope = conn.channel()
try:
    nope.basic_publish("", service, b"x", properties=pika.BasicProperties(reply_to="amq.rabbitmq.reply-to"))
    nope.queue_declare(queue=service, passive=True)
    raise AssertionError("publish with reply_to and no reply consumer was accepted")
except pika.exceptions.ChannelClosedByBroker as e:
    assert e.reply_code == 406 and e.reply_text == "PRECONDITION_FAILED - fast reply consumer does not exist", e
try:
    conn.channel().basic_consume("amq.rabbitmq.reply-to", on_message_callback=lambda *a: None, auto_ack=False)
    raise AssertionError("a reply consumer with acks was accepted")
except pika.exceptions.ChannelClosedByBroker as e:
    assert e.reply_code == 406 and e.reply_text == "PRECONDITION_FAILED - reply consumer cannot acknowledge", e
server.close()

# --- consumer cancel notification: deleting the queue cancels the consumer, the channel stays open
doomed = ic.name("doomed")
cch = conn.channel()
cch.queue_declare(queue=doomed)
cancelled = []
cch.add_on_cancel_callback(lambda frame: cancelled.append(frame.method.consumer_tag))
tag = cch.basic_consume(doomed, on_message_callback=lambda *a: None, auto_ack=True)
other = ic.connect()
other.channel().queue_delete(doomed)
other.close()
ic.pump([conn], lambda: cancelled)
assert cancelled == [tag], cancelled
assert cch.is_open and not cch.consumer_tags, cch.consumer_tags

for q in cleanup_queues:
    ch.queue_delete(q)
for x in cleanup_exchanges:
    ch.exchange_delete(x)
conn.close()
ic.done(__file__)
