"""Tutorial 5: topics (*.orange.*, *.*.rabbit, lazy.#)."""
import interop_common as ic

exchange = ic.name("topic_logs")


def subscriber(*keys):
    conn = ic.connect()
    ch = conn.channel()
    ch.exchange_declare(exchange=exchange, exchange_type="topic")
    q = ch.queue_declare(queue="", exclusive=True).method.queue
    for k in keys:
        ch.queue_bind(exchange=exchange, queue=q, routing_key=k)
    got = []
    ch.basic_consume(queue=q, auto_ack=True, on_message_callback=lambda c, m, p, b: got.append(m.routing_key))
    return conn, got


c1, q1 = subscriber("*.orange.*")
c2, q2 = subscriber("*.*.rabbit", "lazy.#")

emitter = ic.connect()
ech = emitter.channel()
ech.exchange_declare(exchange=exchange, exchange_type="topic")
keys = ["quick.orange.rabbit", "lazy.orange.elephant", "quick.orange.fox", "lazy.brown.fox", "lazy.pink.rabbit",
        "quick.brown.fox", "orange", "quick.orange.male.rabbit", "lazy.orange.male.rabbit", "lazy"]
for k in keys:
    ech.basic_publish(exchange=exchange, routing_key=k, body="m")

ic.pump([c1, c2], lambda: len(q1) == 3 and len(q2) == 6)
for c in (c1, c2):
    c.process_data_events(time_limit=0.3)
assert q1 == ["quick.orange.rabbit", "lazy.orange.elephant", "quick.orange.fox"], q1
assert q2 == ["quick.orange.rabbit", "lazy.orange.elephant", "lazy.brown.fox", "lazy.pink.rabbit",
              "lazy.orange.male.rabbit", "lazy"], q2
ech.exchange_delete(exchange)
for c in (c1, c2, emitter):
    c.close()
ic.done(__file__)
