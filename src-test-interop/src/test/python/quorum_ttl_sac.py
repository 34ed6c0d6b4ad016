"""Quorum queue TTL and single active consumer from Pika, as RabbitMQ 3.10 behaves: a message past
x-message-ttl is dead-lettered with reason 'expired' (a per-message expiration too, recorded as
original-expiration), and with x-single-active-consumer only the first consumer receives until it
cancels, then the next one takes over."""
import pika

import interop_common as ic

conn = ic.connect()
ch = conn.channel()
ch.confirm_delivery()

dead = ic.name("dead")
ch.queue_declare(dead, durable=False)
q = ic.name("ttl")
ch.queue_declare(q, durable=True, arguments={"x-queue-type": "quorum", "x-message-ttl": 100,
                                             "x-dead-letter-exchange": "", "x-dead-letter-routing-key": dead})
ch.basic_publish("", q, b"queue-ttl")
ch.basic_publish("", q, b"own-ttl", pika.BasicProperties(expiration="20"))

got = []
ch.basic_consume(dead, lambda c, m, p, b: got.append((b, p)), auto_ack=True)
ic.pump([conn], lambda: len(got) == 2, timeout=30)
assert [b for b, _ in got] == [b"queue-ttl", b"own-ttl"], got
for body, props in got:
    death = props.headers["x-death"][0]
    assert death["reason"] == "expired" and death["queue"] == q, death
    assert props.expiration is None, props
assert got[1][1].headers["x-death"][0]["original-expiration"] == "20", got[1][1].headers

s = ic.name("sac")
ch.queue_declare(s, durable=True, arguments={"x-queue-type": "quorum", "x-single-active-consumer": True})
c1 = conn.channel()
c2 = conn.channel()
seen = []
c1.basic_consume(s, lambda c, m, p, b: (seen.append(("one", b)), c.basic_ack(m.delivery_tag)), consumer_tag="one")
c2.basic_consume(s, lambda c, m, p, b: (seen.append(("two", b)), c.basic_ack(m.delivery_tag)), consumer_tag="two")
for body in (b"a", b"b"):
    ch.basic_publish("", s, body)
ic.pump([conn], lambda: len(seen) == 2, timeout=30)
assert seen == [("one", b"a"), ("one", b"b")], seen
c1.basic_cancel("one")
ch.basic_publish("", s, b"c")
ic.pump([conn], lambda: len(seen) == 3, timeout=30)
assert seen[2] == ("two", b"c"), seen

for name in (q, s, dead):
    ch.queue_delete(name)
conn.close()
ic.done("quorum_ttl_sac")
