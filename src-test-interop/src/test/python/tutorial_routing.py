"""Tutorial 4: routing with a direct exchange and severities as binding keys."""
import interop_common as ic

exchange = ic.name("direct_logs")


def subscriber(*severities):
    conn = ic.connect()
    ch = conn.channel()
    ch.exchange_declare(exchange=exchange, exchange_type="direct")
    q = ch.queue_declare(queue="", exclusive=True).method.queue
    for s in severities:
        ch.queue_bind(exchange=exchange, queue=q, routing_key=s)
    got = []
    ch.basic_consume(queue=q, auto_ack=True,
                     on_message_callback=lambda c, m, p, b: got.append("%s:%s" % (m.routing_key, b.decode())))
    return conn, got


errors_conn, errors = subscriber("error")
all_conn, everything = subscriber("info", "warning", "error")

emitter = ic.connect()
ech = emitter.channel()
ech.exchange_declare(exchange=exchange, exchange_type="direct")
for severity in ("info", "warning", "error", "debug"):
    ech.basic_publish(exchange=exchange, routing_key=severity, body="a %s message" % severity)

ic.pump([errors_conn, all_conn], lambda: len(errors) == 1 and len(everything) == 3)
for c in (errors_conn, all_conn):
    c.process_data_events(time_limit=0.3)
assert errors == ["error:a error message"], errors
assert everything == ["info:a info message", "warning:a warning message", "error:a error message"], everything
ech.exchange_delete(exchange)
for c in (errors_conn, all_conn, emitter):
    c.close()
ic.done(__file__)
