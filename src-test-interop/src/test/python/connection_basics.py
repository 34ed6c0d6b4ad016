"""Connection negotiation as Pika sees it: capabilities, tuning, heartbeats, auth and vhost failures, clean close."""
import pika
import pika.exceptions

import interop_common as ic

conn = ic.connect()
impl = conn._impl
props = impl.server_properties
for key in ("product", "version", "platform", "copyright", "information", "cluster_name"):
    assert props.get(key), (key, props)
caps = impl.server_capabilities
for cap in ("publisher_confirms", "exchange_exchange_bindings", "basic.nack", "consumer_cancel_notify",
            "connection.blocked", "authentication_failure_close", "per_consumer_qos", "direct_reply_to",
            "consumer_priorities"):
    assert caps.get(cap) is True, (cap, caps)
assert conn.publisher_confirms_supported and conn.basic_nack_supported
assert conn.consumer_cancel_notify_supported and conn.exchange_exchange_bindings_supported
assert impl.params.frame_max == 131072, impl.params.frame_max
assert impl.params.channel_max == 2047, impl.params.channel_max
assert impl.params.heartbeat == 60, impl.params.heartbeat  # Pika's default accepts the server's value
conn.close()
assert conn.is_closed

# Pika sends its own value when one is given (even above the server's 60); the broker must accept it
for asked, expected in ((0, 0), (5, 5), (600, 600)):
    c = ic.connect(heartbeat=asked)
    assert c._impl.params.heartbeat == expected, (asked, c._impl.params.heartbeat)
    c.close()

c = ic.connect(frame_max=8192, channel_max=10)
assert c._impl.params.frame_max == 8192 and c._impl.params.channel_max == 10
ch = c.channel()
body = bytes(range(256)) * 200  # 51200 bytes: several body frames at frame_max 8192
q = ch.queue_declare(queue="", exclusive=True).method.queue
ch.basic_publish("", q, body)
method, _, got = ch.basic_get(q, auto_ack=True)
assert got == body
c.close()

# a one-second heartbeat keeps an idle connection alive
c = ic.connect(heartbeat=1)
c.sleep(5)  # processes I/O, so Pika answers and sends heartbeats
assert c.is_open
c.channel().queue_declare(queue="", exclusive=True)
c.close()

try:
    ic.connect(credentials=pika.PlainCredentials("guest", "wrong"))
    raise AssertionError("wrong password accepted")
except pika.exceptions.ProbableAuthenticationError as e:
    assert "(403)" in str(e) and "ACCESS_REFUSED" in str(e), str(e)

try:
    ic.connect(virtual_host="no-such-vhost")
    raise AssertionError("unknown vhost accepted")
except pika.exceptions.ProbableAccessDeniedError as e:
    assert "(530)" in str(e) and "NOT_ALLOWED - vhost no-such-vhost not found" in str(e), str(e)

# many channels on one connection
c = ic.connect()
chans = [c.channel() for _ in range(100)]
for x in chans:
    x.close()
c.close()
ic.done(__file__)
