"""A Pika app that lists every cluster node, as RabbitMQ's docs advise: when its node dies it
connects again with the same list and lands on a live node. Driven by ClusterClientFailoverTest.

usage: interop_cluster_failover.py PORT1 PORT2 PORT3
stdout: CONNECTED <port>, then (after 'go' on stdin) LOST, RECONNECTED <port>, OK
"""
import sys
import pika
import pika.exceptions

ports = [int(p) for p in sys.argv[1:]]
# one attempt per node and no delay: the list itself is the retry
nodes = [pika.ConnectionParameters('127.0.0.1', p, connection_attempts=1, retry_delay=0, socket_timeout=5)
         for p in ports]


def connect():
    c = pika.BlockingConnection(nodes)
    return c, c._impl.params.port


conn, port = connect()
print('CONNECTED', port, flush=True)
sys.stdin.readline()  # the test kills our node, then says go
try:
    ch = conn.channel()
    ch.queue_declare('pika-failover-probe', exclusive=True)
    sys.exit('the connection to the killed node still worked')
except (pika.exceptions.AMQPError, OSError):
    print('LOST', flush=True)

conn, port = connect()
print('RECONNECTED', port, flush=True)
ch = conn.channel()
ch.confirm_delivery()
q = ch.queue_declare('', exclusive=True).method.queue
ch.basic_publish('', q, b'after failover')
method, props, body = ch.basic_get(q, auto_ack=True)
assert body == b'after failover', body
conn.close()
print('OK', flush=True)
