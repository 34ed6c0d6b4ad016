"""Tutorial 3: publish/subscribe through a fanout exchange to exclusive server-named queues."""
import interop_common as ic

exchange = ic.name("logs")
subscribers = []
for i in range(2):
    conn = ic.connect()
    ch = conn.channel()
    ch.exchange_declare(exchange=exchange, exchange_type="fanout")
    result = ch.queue_declare(queue="", exclusive=True)
    q = result.method.queue
    assert q.startswith("amq.gen-"), q
    ch.queue_bind(exchange=exchange, queue=q)
    got = []
    ch.basic_consume(queue=q, on_message_callback=lambda c, m, p, b, got=got: got.append(b.decode()), auto_ack=True)
    subscribers.append((conn, got, q))

emitter = ic.connect()
ech = emitter.channel()
ech.exchange_declare(exchange=exchange, exchange_type="fanout")
messages = ["info: Hello World!", "warning: disk", "error: boom"]
for m in messages:
    ech.basic_publish(exchange=exchange, routing_key="", body=m)

conns = [s[0] for s in subscribers]
ic.pump(conns, lambda: all(len(s[1]) == 3 for s in subscribers))
for conn, got, q in subscribers:
    assert got == messages, got

# exclusive queues vanish with their connection
first_queue = subscribers[0][2]
subscribers[0][0].close()
probe = emitter.channel()
try:
    probe.queue_declare(queue=first_queue, passive=True)
    raise AssertionError("exclusive queue survived its connection")
except Exception as e:
    assert getattr(e, "reply_code", None) == 404, repr(e)
ech.exchange_delete(exchange)
emitter.close()
subscribers[1][0].close()
ic.done(__file__)
